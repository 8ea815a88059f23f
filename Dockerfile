# One image for every stopsync service; the command picks the service.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 stopsync \
 && mkdir -p /var/lib/stopsync && chown stopsync /var/lib/stopsync
WORKDIR /app
COPY pyproject.toml README.md ./
COPY libs ./libs
COPY services ./services
COPY data ./data
RUN pip install --no-cache-dir .
USER stopsync
ENV STATE_DIR=/var/lib/stopsync/state CACHE_DIR=/var/lib/stopsync/cache
EXPOSE 5001
CMD ["python", "-m", "api"]
