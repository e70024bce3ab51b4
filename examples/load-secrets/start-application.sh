#!/bin/sh
# The application of the guide, reduced to what it proves: which variables it received.
# It prints names only; a real application would use the values.
for name in OPENAI_API_KEY ANTHROPIC_API_KEY DB_USERNAME DB_PASSWORD DB_HOST DATABASE_URL GITHUB_TOKEN APP_APP_SECRET APP_JWT_SECRET APP_ENCRYPTION_KEY; do
  eval "value=\${$name-}"
  if [ -n "$value" ]; then echo "received $name"; else echo "missing $name"; fi
done
