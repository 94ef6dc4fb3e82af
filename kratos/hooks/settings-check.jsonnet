// The settings web hook that runs before Kratos saves a changed profile (can_interrupt): the same
// backend check as at sign-up (sign-up-check.jsonnet), so that settings cannot undo it: a new
// address or account type is judged again, beside what it was (the settings flow's identity, as
// it was when the flow began). The backend may refuse with messages on the form's fields.
local traits(i) = if std.isObject(i) && 'traits' in i && std.isObject(i.traits) then i.traits else {};
local field(t, name) = if name in t then t[name] else null;
function(ctx) {
  event: 'settings',
  identity_id: ctx.identity.id,
  email: field(traits(ctx.identity), 'email'),
  account_type: field(traits(ctx.identity), 'account_type'),
  previous: {
    email: field(traits(if 'identity' in ctx.flow then ctx.flow.identity else {}), 'email'),
    account_type: field(traits(if 'identity' in ctx.flow then ctx.flow.identity else {}), 'account_type'),
  },
  language: if 'Accept-Language' in ctx.request_headers then ctx.request_headers['Accept-Language'][0] else null,
}
