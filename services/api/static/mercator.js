// Web Mercator (EPSG:3857) in tile pixels: the projection OSM raster tiles are cut in.

export const TILE_SIZE = 256;
// The latitude at which the square world map ends: atan(sinh(pi)).
export const MAX_LAT = 85.0511287798066;

/** The world's width in pixels at a zoom level. */
export function worldSize(zoom) {
  return TILE_SIZE * 2 ** zoom;
}

/** Longitude/latitude (degrees, WGS84) -> world pixel x/y at a zoom level. */
export function project(lon, lat, zoom) {
  const size = worldSize(zoom);
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  const x = ((lon + 180) / 360) * size;
  const y = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * size;
  return { x, y };
}

/** World pixel x/y at a zoom level -> longitude/latitude in degrees. */
export function unproject(x, y, zoom) {
  const size = worldSize(zoom);
  const lon = (x / size) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / size;
  const lat = (Math.atan(Math.sinh(n)) * 180) / Math.PI;
  return { lon, lat };
}

/** Ground metres per screen pixel at a latitude and zoom (for the scale bar). */
export function metresPerPixel(lat, zoom) {
  const EARTH_CIRCUMFERENCE_M = 40075016.686; // equatorial, WGS84
  return (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / worldSize(zoom);
}

/** Tiles covering a pixel rectangle: [{z, x, y, left, top}] with x wrapped around the world. */
export function tilesFor(left, top, width, height, zoom) {
  const count = 2 ** zoom;
  const tiles = [];
  const x0 = Math.floor(left / TILE_SIZE);
  const y0 = Math.max(0, Math.floor(top / TILE_SIZE));
  const x1 = Math.floor((left + width) / TILE_SIZE);
  const y1 = Math.min(count - 1, Math.floor((top + height) / TILE_SIZE));
  for (let ty = y0; ty <= y1; ty++) {
    for (let tx = x0; tx <= x1; tx++) {
      const wrapped = ((tx % count) + count) % count;
      tiles.push({ z: zoom, x: wrapped, y: ty, left: tx * TILE_SIZE - left, top: ty * TILE_SIZE - top });
    }
  }
  return tiles;
}
