// Whether the app runs inside a frame: decided here, once, for the frame guard (frame-guard.ts)
// and for the early flow request (kratos/early.ts), which must not start a flow a framed page
// would never show.

export function isFramed(win: Window): boolean {
  try {
    return win.top !== win.self;
  } catch {
    return true; // a cross-origin parent that denies even this comparison
  }
}
