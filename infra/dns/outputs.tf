output "spa_record_id" {
  description = "The id of the SPA's CNAME record."
  value       = cloudflare_dns_record.spa.id
}

output "kratos_record_id" {
  description = "The id of Kratos's A record."
  value       = cloudflare_dns_record.kratos.id
}

output "api_record_id" {
  description = "The id of the API host's A record."
  value       = cloudflare_dns_record.api.id
}

output "hosts" {
  description = "The record names this module manages, for a quick look after apply."
  value = {
    spa    = var.spa_record_name
    kratos = var.kratos_record_name
    api    = var.api_record_name
  }
}
