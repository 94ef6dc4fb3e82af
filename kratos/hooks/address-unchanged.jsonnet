// An address stays the one its sign-up proved (SECURITY.md, address squatting). Not a call to
// anyone: this body runs before Kratos saves a profile changed in settings (can_interrupt). Where
// the e-mail trait is what it was when the settings flow began, it cancels the call (`error
// 'cancel'`: Kratos sends nothing and saves). A new address fails it, and Kratos saves nothing:
// Kratos cannot hold a new address back until it is proven, and an unproven address on an account
// lets its owner's code sign-in, recovery or verification into someone else's account, where that
// someone's password then works too. An administrator can change an address (the admin API).
local email(i) = if std.isObject(i) && 'traits' in i && std.isObject(i.traits) && 'email' in i.traits && std.isString(i.traits.email) then std.asciiLower(i.traits.email) else null;
function(ctx)
  local before = email(if 'identity' in ctx.flow then ctx.flow.identity else null);
  if before != null && email(ctx.identity) == before then error 'cancel' else error 'address_fixed: an address is changed only by an administrator (SECURITY.md, address squatting)'
