// The registration web hook that tells your backend an educator has signed up, after Kratos has
// created the identity. Any other account type cancels the call (Kratos sends nothing).
function(ctx)
  if std.objectHas(ctx.identity.traits, 'account_type') && ctx.identity.traits.account_type == 'educator' then {
    identity_id: ctx.identity.id,
    email: ctx.identity.traits.email,
    account_type: ctx.identity.traits.account_type,
    name: if 'name' in ctx.identity.traits then ctx.identity.traits.name else {},
    created_at: ctx.identity.created_at,
  } else error 'cancel'
