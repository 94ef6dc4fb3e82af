terraform {
  required_version = ">= 1.8.0"

  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "5.13.0"
    }
  }
}

# The API token comes from the environment: CLOUDFLARE_API_TOKEN (Zone → DNS → Edit).
provider "cloudflare" {}
