# The SPA on GitHub Pages: a CNAME to <owner>.github.io, not proxied, so GitHub can issue the
# TLS certificate for the custom domain.
resource "cloudflare_dns_record" "spa" {
  zone_id = var.cloudflare_zone_id
  name    = var.spa_record_name
  type    = "CNAME"
  content = var.github_pages_host
  proxied = false
  ttl     = 1 # automatic
  comment = "Kratos SPA on GitHub Pages"
}

# Kratos's public API and the API host (one host, or two) go to the cluster's Gateway.
resource "cloudflare_dns_record" "gateway" {
  for_each = toset(var.gateway_record_names)

  zone_id = var.cloudflare_zone_id
  name    = each.value
  type    = "A"
  content = var.gateway_ipv4
  proxied = var.proxy_gateway_hosts
  ttl     = 1
  comment = "Ory Kratos and the API behind Oathkeeper (Gateway)"
}

resource "cloudflare_dns_record" "github_pages_challenge" {
  zone_id = var.cloudflare_zone_id
  name    = var.github_pages_challenge.name
  type    = "TXT"
  content = var.github_pages_challenge.value
  ttl     = 1
  comment = "GitHub Pages domain verification"
}
