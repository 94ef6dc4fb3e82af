output "spa_record_id" {
  description = "The id of the SPA's CNAME record."
  value       = cloudflare_dns_record.spa.id
}

output "gateway_record_ids" {
  description = "The ids of the Gateway's A records, by name."
  value       = { for name, record in cloudflare_dns_record.gateway : name => record.id }
}

output "hosts" {
  description = "The record names this module manages, for a quick look after apply."
  value = {
    spa     = var.spa_record_name
    gateway = var.gateway_record_names
  }
}
