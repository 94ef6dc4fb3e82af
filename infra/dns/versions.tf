terraform {
  required_version = ">= 1.8.0"

  # The state lives outside git (it names every record and can hold secrets): an S3-compatible
  # bucket (Cloudflare R2, AWS S3, MinIO…), configured at init so nothing here names yours:
  #   tofu init -backend-config=backend.hcl     (bucket, key, region, endpoints; README: DNS)
  backend "s3" {}

  required_providers {
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "5.13.0"
    }
  }
}

# The API token comes from the environment: CLOUDFLARE_API_TOKEN (Zone → DNS → Edit).
provider "cloudflare" {}
