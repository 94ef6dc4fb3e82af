// The registration web hook that runs before Kratos creates the identity (can_interrupt): your
// backend sees who is about to sign up and may refuse with messages on the form's fields
// (README: Registration web hooks). Only what it needs to decide is sent; Accept-Language lets it
// answer in the person's language.
function(ctx) {
  event: 'sign_up',
  email: ctx.identity.traits.email,
  account_type: if 'account_type' in ctx.identity.traits then ctx.identity.traits.account_type else null,
  language: if 'Accept-Language' in ctx.request_headers then ctx.request_headers['Accept-Language'][0] else null,
}
