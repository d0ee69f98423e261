// readBase64 reads a file the user picked as base64, the way the backend takes uploads (the window
// has no file paths for picked files, in WebKitGTK as in Chromium).
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}
