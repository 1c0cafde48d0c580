"""Security checks: HTTPS, certificates, mixed content, insecure forms, HSTS."""
