// Social sign-in: an OpenID Provider's claims → the identity's traits. Only an address the
// provider says it verified is taken (and counts as verified); without one, Kratos shows the
// registration form and asks for it, and the address is verified the usual way.
local claims = std.extVar('claims');
local verifiedEmail = 'email' in claims && 'email_verified' in claims && claims.email_verified;
{
  identity: {
    traits: {
      [if verifiedEmail then 'email' else null]: claims.email,
      [if 'given_name' in claims then 'name' else null]: { first: claims.given_name },
    },
    [if verifiedEmail then 'verified_addresses' else null]: [{ via: 'email', value: claims.email }],
  },
}
