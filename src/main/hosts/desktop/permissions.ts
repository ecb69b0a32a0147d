/**
 * Which web permission the renderer gets: none. It needs no camera, notifications, geolocation or
 * clipboard read; a copy goes through main (clipboard-handlers.ts). Electron grants every
 * permission by default, so the host installs this as both the request and the check handler.
 */
export function mayGrantPermission(_permission: string): boolean {
  return false
}
