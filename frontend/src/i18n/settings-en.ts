// English strings of the settings page: its sections, and Kratos's settings labels where its own
// words are jargon (review finding 21). Kept out of en.ts so that /login does not carry them; they
// load with the settings page (pages/flow-page.ts), the other languages beside them.
export const settingsEn = {
  'app.settings.profile.title': 'Profile',
  'app.settings.profile.about': 'The details you gave when you signed up. Your email address stays the one your account was made with.',
  'app.settings.profile.addressFixed': 'This address cannot be changed here: it is the one your sign-up proved. An administrator can change it for you.',
  'app.settings.profile.save': 'Save profile',
  'app.settings.password.title': 'Password',
  'app.settings.password.about': 'Choose a new password to sign in with. Use one you do not use anywhere else.',
  'app.settings.password.save': 'Change password',
  'app.settings.totp.title': 'Authenticator app',
  'app.settings.totp.about': 'A second step when you sign in: a code from an app on your phone. Scan the QR code with the app, then enter the code it shows.',
  'app.settings.totp.on': 'On: when you sign in, a code from your authenticator app is the second step.',
  'app.settings.totp.save': 'Turn on authenticator app',
  'app.settings.totp.setUp': 'Set up an authenticator app',
  'app.settings.totp.copySecret': 'Copy secret',
  'app.settings.lookup.title': 'Backup codes',
  'app.settings.lookup.about': 'One-time codes for when you cannot use your second factor. Keep them somewhere safe; each works once.',
  'app.settings.lookup.copy': 'Copy codes',
  'app.settings.lookup.download': 'Download codes',
  'app.settings.webauthn.title': 'Security keys',
  'app.settings.webauthn.about': 'A hardware key (such as a USB or NFC key) as a second step when you sign in.',
  'app.settings.passkey.title': 'Passkeys',
  'app.settings.passkey.about': 'Sign in with your fingerprint, face or screen lock instead of a password.',
  'app.settings.oidc.title': 'Sign-in with other accounts',
  'app.settings.oidc.about': 'Accounts at other services you can sign in with.',
  // Kratos's words where they are jargon or say too little (review finding 21): "Unlink TOTP
  // Authenticator App", "Generate new backup recovery codes" when there are none, "Confirm backup
  // recovery codes" that does not say the codes work only then, "Disable this method".
  '1050004': 'Turn off authenticator app',
  '1050007': 'Show backup codes',
  '1050008': 'Create backup codes',
  '1050010': 'Save these codes somewhere safe, then press “I have saved them”: until then they do not work.',
  '1050011': 'I have saved them',
  '1050016': 'Turn off backup codes',
  // The authenticator app's code field, in settings only (sign-in labels it 1010006).
  '1070006': 'Code from your authenticator app',
} as const;

export type SettingsMessageId = keyof typeof settingsEn;
