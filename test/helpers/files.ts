/** Files for upload tests, made in the browser. */

/** A real PNG drawn on a canvas (so the browser can decode the thumbnail). */
export async function canvasPng(width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.fillStyle = '#2a7';
    ctx.fillRect(0, 0, width, height);
  }
  return new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((b) => {
      if (b) resolve(b);
      else reject(new Error('toBlob failed'));
    }, 'image/png');
  });
}

/** `blob` as a file named `name`. */
export function named(blob: Blob, name: string): File {
  return new File([blob], name, { type: blob.type });
}
