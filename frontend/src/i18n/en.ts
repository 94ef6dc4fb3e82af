// English strings of the app itself. Kratos's own messages (numeric ids) need no English
// entry: Kratos sends English text, which is the fallback for every id a catalog lacks.
// Placeholders are {name}; values are inserted as text, never as markup.
export const en = {
  'app.name': 'Account',
  'app.loading': 'Loading…',
  'app.retry': 'Try again',
  'app.retry.auto': 'Trying again by itself in {seconds} s.',
  'app.nav.home': 'Home',
  'app.nav.signIn': 'Sign in',
  'app.nav.signUp': 'Create account',
  'app.nav.signOut': 'Sign out',
  'app.nav.settings': 'Account settings',
  'app.nav.mainLabel': 'Main',
  'app.language.label': 'Language',

  // Kratos's own English where it reads like a log line: "within the next 15.00 minutes" (review
  // finding 13). Every other language words it in its own catalog.
  '1060001': 'You successfully recovered your account. Please change your password or set up another way to sign in now, while this session lasts.',
  // One wording everywhere (review finding 22): "sign-in code", "Email"; and what this product's
  // sign-up asks for (finding 7: the second step; finding 8: its accounts have an email address,
  // no phone or username).
  '1010014': 'We sent a sign-in code to the email address you gave. If it does not arrive, check the address and try again.',
  '1010015': 'Send sign-in code',
  '1040006': 'Send sign-up code',
  '1040009': 'Now choose how you will sign in.',
  '4000007': 'There is already an account with this email address.',
  '4010008': 'The sign-in code is invalid or has already been used. Please try again.',
  // Finding 21: "backup code" as settings calls them, not "backup recovery code".
  '1010007': 'Backup code',
  '1010010': 'Use a backup code',
  '4000016': 'The backup code is not valid.',
  // Finding 17: the rule, not a log line ("… at least 8 characters long, but got 5.").
  '4000032': 'Use at least {min_length} characters.',
  'app.field.choose': 'Choose…',
  // The identity schema's titles and enum values by path (kratos/identity.schema.json): a team
  // translating its own schema adds its paths here, in every catalog (catalog.ts traitTitle).
  'trait.email': 'Email',
  'trait.account_type': 'Account type',
  'trait.account_type=student': 'Student',
  'trait.account_type=educator': 'Educator',
  'trait.name.first': 'First name',
  'trait.name.last': 'Last name',
  'app.login.title': 'Sign in',
  'app.login.refreshTitle': 'Confirm it is you',
  'app.login.aal2Title': 'Second factor',
  'app.login.noAccount': 'No account yet?',
  'app.login.notYou': 'Not you?',
  'app.login.useAnotherAddress': 'Use another address',
  'app.login.forgotPassword': 'Forgot your password?',
  'app.login.disabled': 'This account is deactivated. Please contact the people who run this service.',
  'app.login.otherAccount': 'Use a different account',
  'app.login.verifyAddress': 'Verify your email address now',
  'app.registration.title': 'Create an account',
  'app.registration.haveAccount': 'Already have an account?',
  'app.registration.continue': 'Continue',
  'app.registration.signInInstead': 'Sign in to it',
  'app.recovery.title': 'Recover your account',
  'app.recovery.intro': 'Enter the email address of your account, and we will email you a way to sign in again.',
  'app.recovery.backToSignIn': 'Back to sign in',
  'app.verification.title': 'Verify your email address',
  'app.verification.skip': 'Skip for now',
  'app.verification.done': 'Email address verified',
  'app.verification.already': 'This address is verified already: there is nothing left to do.',
  'app.verification.continue': 'Continue',
  'app.verification.sentTo': 'The code went to {email}.',
  'app.verification.resend': 'Send a new code',
  'app.settings.title': 'Account settings',

  'app.webauthn.failed': 'Your security key or passkey did not answer ({reason}). Nothing was sent; please try again.',
  'app.webauthn.unsupported': 'This browser cannot use security keys or passkeys.',

  'app.logout.done': 'You have signed out.',
  'app.logout.notSignedIn': 'You were not signed in.',

  'app.error.title': 'Something went wrong',
  'app.error.status': 'Error {code}',
  'app.framed.title': 'Open this page on its own',
  'app.framed.text': 'For your safety, signing in does not work inside another website.',
  'app.framed.open': 'Open it in its own window',

  'app.network.unreachable': 'We could not reach the account service. Check your connection and try again.',
  'app.network.unexpected': 'The account service answered in a way we did not expect (HTTP {status}). Please try again.',
  'app.network.notSent': 'This form could not be sent: {reason} What you typed is still here, except passwords.',
  'app.network.limited': 'Too many attempts from your connection. You can send this form again in {seconds} s; what you typed is still here.',
  'app.network.limitOver': 'You can send the form again now.',
  'app.flow.restarted': 'We had to start over. Please try again.',
  'app.flow.csrf':
    'Your browser did not send the security cookie for this form (it may have been cleared, or the form was opened in another browser). We started a new form: please try again.',
  'app.flow.unsafeRedirect': 'The account service asked us to open an address we do not trust, so we stayed here.',
  'app.flow.signInFirst': 'Please sign in to continue.',
  'app.flow.continueWithoutReturnTo': 'Continue without it',
  'app.flow.or': 'or',
  'app.flow.account': 'Account',
  'app.copy.done': 'Copied.',
  'app.copy.failed': 'Could not copy: please select the text instead.',
  'app.password.show': 'Show password',
  'app.confirm.remove': 'This takes away a way to sign in. Go on?',
  'app.confirm.question': 'Are you sure?',
  'app.confirm.cancel': 'Cancel',
} as const;

export type AppMessageId = keyof typeof en;
