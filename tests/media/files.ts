/** Image files made in the tests with sharp: valid ones, and the hostile ones the validator must refuse. */
import { crc32 } from "node:zlib";
import sharp from "sharp";

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } }).composite([
    { input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 3}" cy="${height / 2}" r="${height / 4}" fill="orange"/></svg>`), top: 0, left: 0 },
  ]);

export const jpeg = (width = 1600, height = 1000) => photo(width, height).jpeg({ quality: 80 }).toBuffer();
export const png = (width = 640, height = 480) => photo(width, height).png().toBuffer();
export const webp = (width = 800, height = 600) => photo(width, height).webp().toBuffer();

/** A JPEG that says where it was taken, and that it must be turned (orientation 6: 90° clockwise). */
export const jpegWithGps = async () => {
  const tagged = await photo(300, 200)
    .jpeg()
    .withExif({ IFD0: { Make: "Cartwright test" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 3/1" } })
    .toBuffer();
  return sharp(tagged).withMetadata({ orientation: 6 }).jpeg().toBuffer();
};

/** Valid bytes up to the middle only. */
export const truncatedJpeg = async () => {
  const whole = await jpeg(800, 600);
  return whole.subarray(0, Math.floor(whole.length / 2));
};

/** A real 64×64 PNG whose header claims 30000×30000 pixels: a few hundred bytes that would decode to 3.6 GB. */
export const pixelBomb = async () => {
  const small = Buffer.from(await sharp({ create: { width: 64, height: 64, channels: 3, background: "white" } }).png().toBuffer());
  // IHDR starts at byte 8: length (4), "IHDR" (4), width (4), height (4), … then its CRC over type and data.
  small.writeUInt32BE(30_000, 16);
  small.writeUInt32BE(30_000, 20);
  small.writeUInt32BE(crc32(small.subarray(12, 29)) >>> 0, 29);
  return small;
};

/** Random pixels do not compress: a PNG of about 480 KB. */
export const noisyPng = () => {
  const raw = Buffer.alloc(400 * 400 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width: 400, height: 400, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
};

export const svgScript = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script><rect width="100" height="100"/></svg>`);

/** A valid JPEG carrying HTML in a comment segment: a browser sniffing it might run the script; its re-encoding cannot. */
export const jpegHtmlPolyglot = async () => {
  const body = await jpeg(400, 300);
  const html = Buffer.from("<html><script>alert(document.cookie)</script></html>");
  const comment = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([(html.length + 2) >> 8, (html.length + 2) & 0xff]), html]);
  return Buffer.concat([body.subarray(0, 2), comment, body.subarray(2)]);
};
