// The claims of the admin token (session.whoami.tokenizer.templates.admin): the audience the
// gateway's jwt authenticator requires, and the role its authorizer reads. Kratos sets iss, sub,
// sid, exp, iat, nbf and jti itself. The role is "admin" only when the identity's public
// metadata (written through the admin API, never by the person) lists it AND the session was
// made with a second factor (AAL2): sign-in by e-mail code is on, so one factor would let whoever
// reads an admin's mailbox administer everyone. An admin at one factor gets the role
// "admin-without-second-factor", which the gateway refuses like "none" (403); the admin pages
// read it to say what to do (set up an authenticator app, or sign in with it).
local session = std.extVar('session');
local identity = session.identity;
local metadata = if 'metadata_public' in identity && std.isObject(identity.metadata_public) then identity.metadata_public else {};
local roles = if 'roles' in metadata && std.isArray(metadata.roles) then metadata.roles else [];
local aal2 = 'authenticator_assurance_level' in session && session.authenticator_assurance_level == 'aal2';
{
  claims: {
    aud: ['kratos-spa-admin'],
    kratos_spa_role: if !std.member(roles, 'admin') then 'none' else if aal2 then 'admin' else 'admin-without-second-factor',
  },
}
