/** The longest side of a waste photo after downscaling on the display (the hub keeps at most 1 MiB). */
export const PHOTO_MAX_SIDE = 1280;
export const PHOTO_MAX_BYTES = 1024 * 1024;

/** Width and height that fit within `max` on the longer side, keeping the aspect ratio (never enlarged). */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A camera photo as a JPEG no larger than PHOTO_MAX_SIDE on its longer side (self-contained, so a browser
 * test can run it as it is). Where the browser cannot decode the file, it is returned unchanged and the
 * size check and the gateway's type check decide.
 */
export async function downscalePhoto(file: Blob, maxSide: number): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return jpeg ?? file;
}

/** Base64 of a blob's bytes (the gateway's display API takes JSON only). */
export async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
