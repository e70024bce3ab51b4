#!/bin/sh
# Puts the guide's example secrets into the local store (the first write creates it and says
# where its key went). Run from this directory: ./seed.sh && secretrun -- ./start-application.sh
set -e
secretrun=${SECRETRUN:-secretrun}
$secretrun kv put secret/api-keys/openai api_key="sk-proj-your-openai-key-here" organization="your-org-id" >/dev/null
$secretrun kv put secret/api-keys/anthropic api_key="your-anthropic-key-here" >/dev/null
$secretrun kv put secret/myapp/database username="db_admin" password="secure_db_password" host="db.example.com" port="5432" >/dev/null
$secretrun kv put secret/myapp/config app_secret="your-app-secret-key" jwt_secret="jwt-signing-key" encryption_key="aes-256-key" >/dev/null
echo "seeded 4 secrets"
