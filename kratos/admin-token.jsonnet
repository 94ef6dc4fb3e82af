// The claims of the admin token (session.whoami.tokenizer.templates.admin): the audience the
// gateway's jwt authenticator requires, and the role its authorizer reads. Kratos sets iss, sub,
// sid, exp, iat, nbf and jti itself. The role is "admin" only when the identity's public
// metadata (written through the admin API, never by the person) lists it.
local session = std.extVar('session');
local identity = session.identity;
local metadata = if 'metadata_public' in identity && std.isObject(identity.metadata_public) then identity.metadata_public else {};
local roles = if 'roles' in metadata && std.isArray(metadata.roles) then metadata.roles else [];
{
  claims: {
    aud: ['kratos-spa-admin'],
    kratos_spa_role: if std.member(roles, 'admin') then 'admin' else 'none',
  },
}
