// The registration web hook that tells your backend an educator has signed up, after Kratos has
// created the identity. Any other account type cancels the call (Kratos sends nothing).
//
// email_verified says whether the sign-up itself proved the address (a code sign-up, or a social
// sign-in whose provider vouched for it). A password, passkey or security-key sign-up has not:
// anyone can type someone else's address there, so treat such an account as "claims to be" until
// the address is verified (SECURITY.md, address squatting).
function(ctx)
  local addresses = if 'verifiable_addresses' in ctx.identity && std.isArray(ctx.identity.verifiable_addresses) then ctx.identity.verifiable_addresses else [];
  if std.objectHas(ctx.identity.traits, 'account_type') && ctx.identity.traits.account_type == 'educator' then {
    identity_id: ctx.identity.id,
    email: ctx.identity.traits.email,
    email_verified: std.length([a for a in addresses if std.asciiLower(a.value) == std.asciiLower(ctx.identity.traits.email) && a.verified]) > 0,
    account_type: ctx.identity.traits.account_type,
    name: if 'name' in ctx.identity.traits then ctx.identity.traits.name else {},
    created_at: ctx.identity.created_at,
  } else error 'cancel'
