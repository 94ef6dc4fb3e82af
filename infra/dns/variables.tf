# Values come from terraform.tfvars.json, which `npm run render` writes from
# infra/k8s/environment.yml (the one place the domains are set).

variable "cloudflare_zone_id" {
  description = "The Cloudflare zone id of the registrable domain that holds the SPA, Kratos and API hosts."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{32}$", var.cloudflare_zone_id))
    error_message = "cloudflare_zone_id must be the 32-character hex id shown on the zone's overview page."
  }
}

variable "spa_record_name" {
  description = "The SPA's host name within the zone (\"id\" for id.example.com, \"@\" for the apex)."
  type        = string

  validation {
    condition     = can(regex("^(@|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$", var.spa_record_name))
    error_message = "spa_record_name must be a DNS label such as \"auth\", or \"@\"."
  }
}

variable "github_pages_host" {
  description = "GitHub Pages' host for the repository owner: <owner>.github.io (no repository path)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9-]+\\.github\\.io$", var.github_pages_host))
    error_message = "github_pages_host must look like <owner>.github.io."
  }
}

variable "gateway_record_names" {
  description = "The Gateway's host names within the zone, Kratos's and the API's (\"auth\" for auth.example.com; one name when they share a host)."
  type        = list(string)

  validation {
    condition     = length(var.gateway_record_names) > 0 && alltrue([for n in var.gateway_record_names : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", n))])
    error_message = "gateway_record_names must be DNS labels such as \"auth\"."
  }
}

variable "gateway_ipv4" {
  description = "The public IPv4 address of the cluster's Gateway (the Gateway API load balancer)."
  type        = string

  validation {
    condition     = can(cidrhost("${var.gateway_ipv4}/32", 0))
    error_message = "gateway_ipv4 must be an IPv4 address such as 203.0.113.10."
  }
}

variable "proxy_gateway_hosts" {
  description = "Whether Cloudflare proxies the Gateway's hosts (environment.yml dns.proxied; needs SSL mode Full (strict) and an origin certificate on the Gateway)."
  type        = bool
}

variable "github_pages_challenge" {
  description = "The TXT record GitHub shows when verifying the custom domain, as { name, value } (name relative to the zone). Required: a verified domain cannot be claimed by another Pages site."
  type = object({
    name  = string
    value = string
  })

  validation {
    condition     = can(regex("^_github-pages-challenge-[a-z0-9-]+(\\.[a-z0-9-]+)*$", var.github_pages_challenge.name)) && length(var.github_pages_challenge.value) > 0
    error_message = "github_pages_challenge.name must be the _github-pages-challenge-<owner>… name GitHub shows, and value its code."
  }
}
