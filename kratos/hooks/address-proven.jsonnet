// Sign-up proves the address before any other way in exists (SECURITY.md, address squatting).
// Not a call to anyone: this body runs first in every sign-up method's hooks, before Kratos creates
// the identity (can_interrupt). Where the sign-up itself has proven the address (a code sign-up,
// or a social sign-in whose provider vouched for it: oidc-mapper.jsonnet), it cancels the call
// (`error 'cancel'`: Kratos sends nothing and goes on). Anywhere else (a password, passkey or
// security key set by whoever typed the address, a social account that did not vouch for it) it
// fails, and Kratos refuses the sign-up: nothing is stored. Those ways in are added in settings,
// once the address is the person's.
function(ctx)
  local traits = if std.isObject(ctx.identity.traits) then ctx.identity.traits else {};
  local email = if 'email' in traits && std.isString(traits.email) then std.asciiLower(traits.email) else null;
  local addresses = if 'verifiable_addresses' in ctx.identity && std.isArray(ctx.identity.verifiable_addresses) then ctx.identity.verifiable_addresses else [];
  local proven = email != null && std.length([a for a in addresses if std.asciiLower(a.value) == email && a.verified]) > 0;
  if proven then error 'cancel' else error 'address_not_proven: this sign-up has not proven the address (SECURITY.md, address squatting)'
