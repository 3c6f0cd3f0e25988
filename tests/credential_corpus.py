"""A corpus of credentials in every shape, and of look-alikes that are not credentials
(SPEC §3.2). Used by tests/test_credentials.py and by benchmarks/secrets_compare.py,
which scores closeapp-lint and detect-secrets on the same cases.

Each FOUND case is (extra manifest lines, the kinds CA411 must name, in order); each
NOT_CREDENTIALS case is extra manifest lines with no credential in them.
"""

from __future__ import annotations

# Made-up credentials of each format (none of them was ever issued).
CLOSE_KEY = "api_" + "7hG2kLmN4pQ8rStU9vWx0Y" + "." + "Zb3Cd5Ef7Gh9Jk1Lm3Np5Q"
STRIPE = "sk_live_" + "51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS"
STRIPE_TEST = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_RESTRICTED = "rk_live_" + "51HxQ2bC8dE9fG0hI1jK2lM3n"
AWS = "AKIA" + "QWERTYUIOPAS7DFG"
GITHUB = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0" + "a" * 12 + "_" + "b" * 59
GITLAB = "glpat-" + "xR4nD0mT0k3nV4lu3sAb"
SLACK = "xoxb-" + "2301234567-4501234567890-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0ABCDEFG/B0HIJKLMN/" + "aBcDeFgHiJkLmNoPqRsTuVwX"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
WEBHOOK_SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "  MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6ZCPx3mYKmNtKt1vxJ4xEe0aB\n"
    "  q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6Q7W8E9R0T1Y2\n"
    "  -----END RSA PRIVATE KEY-----"
)

OPENAI = "sk-proj-" + "Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg3Hi5"
ANTHROPIC = "sk-ant-api03-" + "Xy7Zw5Vu3Ts1Rq9Po7Nm5Lk3Ji1Hg9Fe7Dc5Ba3"
SENDGRID = "SG." + "nGx7Q2mWpL9vT4kR8sYb3c" + "." + "Hj5Kl7Mn9Pq1Rs3Tu5Vw7Xy9Za1Bc3De5Fg7Hi9Jk1Lm3N"
NPM = "npm_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

FOUND: list[tuple[str, list[str]]] = [
    ("x-cb: https://app.tidewater.dev/cb#access_token=aZ9bY8cX7dW6vU5\n", ["a secret in the URL's 'access_token' parameter"]),
    ("x-hook: https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\n", ["a Discord webhook URL"]),
    (f"x-ai: {OPENAI}\n", ["an OpenAI API key"]),
    (f"x-ai: {ANTHROPIC}\n", ["an Anthropic API key"]),
    (f"x-mail: {SENDGRID}\n", ["a SendGrid API key"]),
    (f"# publish with {NPM}\n", ["an npm token"]),
    ("x-headers:\n  Authorization: Bearer Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg\n", ["a bearer token"]),
    ("x-headers: {Authorization: Basic YWRtaW46aHVudGVyMmh1bnRlcjI=}\n", ["HTTP basic credentials"]),
    ("x-db: postgres://app:Pg-s3cret-2024@db.tidewater.dev:5432/app\n", ["credentials in the URL's user info"]),
    ("x-cache: redis://:R3dis-Pass-99@cache.tidewater.dev:6379/0\n", ["credentials in the URL's user info"]),
    ("x-credentials:\n  username: deploy-bot\n  password: Dpl0y-B0t-Pass\n", ["x-credentials.password"]),
    ("x-secrets:\n  stripe: whatever-9f8e7d6c5b4a\n", ["x-secrets.stripe"]),
    # known formats, wherever they are
    (f"x-note: 'billing key is {STRIPE}'\n", ["a Stripe secret key"]),
    (f"x-test-key: {STRIPE_TEST}\n", ["a Stripe secret key"]),
    (f"x-billing:\n  restricted: {STRIPE_RESTRICTED}\n", ["a Stripe restricted key"]),
    (f"x-webhook-signing: {WEBHOOK_SECRET}\n", ["a Stripe webhook signing secret"]),
    (f"x-aws: {AWS}\n", ["an AWS access key ID"]),
    (f"# deploy with {GITHUB}\n", ["a GitHub token"]),
    (f"x-ci: {GITHUB_PAT}\n", ["a GitHub token"]),
    (f"x-gitlab: {GITLAB}\n", ["a GitLab token"]),
    (f"x-slack: {SLACK}\n", ["a Slack token"]),
    (f"x-alerts: {SLACK_HOOK}\n", ["a Slack webhook URL"]),
    (f"x-maps: {GOOGLE}\n", ["a Google API key"]),
    (f"x-session: {JWT}\n", ["a JSON Web Token"]),
    (f"x-signing-key: |\n  {PEM}\n", ["a PEM private key"]),
    ('x-key: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"\n', ["a PEM private key"]),
    (f"# old: {CLOSE_KEY}\n", ["a Close API key"]),
    (f"x-{STRIPE}: true\n", ["a Stripe secret key"]),  # in a key
    (f"description: Uses {STRIPE} for billing.\n".replace("description: Turns", "x"), ["a Stripe secret key"]),
    # URLs
    ("x-db: https://admin:hunter2hunter2@db.tidewater.dev/app\n", ["credentials in the URL's user info"]),
    ("x-callback: https://app.tidewater.dev/cb?client_secret=Zq8vT2mW9xK4pL7n\n", ["a secret in the URL's 'client_secret' parameter"]),
    ("x-feed: https://feeds.tidewater.dev/x.json?user=ann&access_token=aZ9bY8cX7dW6\n", ["a secret in the URL's 'access_token' parameter"]),
    ("x-share: https://files.tidewater.dev/a.pdf?expires=1700000000&sig=Qm9vZm9vYmFy\n", ["a secret in the URL's 'sig' parameter"]),
    ("x-api: https://api.tidewater.dev/v1?api_key=k3yV4lu3-9x8y7z\n", ["a secret in the URL's 'api_key' parameter"]),
    ("x-api: https://api.tidewater.dev/v1?password=%68unter2%21\n", ["a secret in the URL's 'password' parameter"]),
    ("x-api: https://api.tidewater.dev/v1?X-Amz-Signature=9f8e7d6c5b4a\n", ["a secret in the URL's 'X-Amz-Signature' parameter"]),
    # secret-named keys with literal values, any shape
    ("x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123\n", ["x-deploy.client_secret"]),
    ('x-db-password: "correct-Horse-42"\n', ["x-db-password"]),
    ("x-private_key: >-\n  c29tZS1rZXktbWF0ZXJpYWwtMTIz\n  bW9yZS1rZXktbWF0ZXJpYWw=\n", ["x-private_key"]),
    ("x-creds: {credential: 'Xy7!pQ2#wE9r'}\n", ["x-creds.credential"]),
    ("x-a: &s ZxCvBnM-123456\nx-token: *s\n", ["x-token"]),
    # comments and embedded JSON
    ("# client_secret: Zq8vT2mW9xK4pL7nR5s\n", ["a literal secret for 'client_secret'"]),
    ('x-json: \'{"password": "Pa55w0rd-Prod-7"}\'\n', ["a literal secret for 'password'"]),
    # two credentials, two findings; one credential under a secret name: one finding naming its kind
    (f"x-a: {AWS}\nx-b: {GITHUB}\n", ["an AWS access key ID", "a GitHub token"]),
    (f"x-stripe_secret: {STRIPE}\n", ["a Stripe secret key"]),
    (f"x-alerts: {SLACK_HOOK}?token={GITHUB}\n", ["a Slack webhook URL", "a GitHub token"]),
]

NOT_CREDENTIALS: list[str] = [
    "x-deploy:\n  client_secret: your-client-secret\n",
    "x-deploy:\n  client_secret: REDACTED\n",
    "x-llm:\n  max_tokens: 1000\n",
    "x-headers:\n  Authorization: Bearer ${CLOSE_TOKEN}\n",
    "x-credentials:\n  username: deploy-bot\n  secret_ref: vault:secret/data/deploy\n",
    "x-skills: [sk-learn, basic auth setup]\n",
    "x-db: postgres://db.tidewater.dev:5432/app\n",
    # references to a secret store or the environment
    "x-deploy:\n  client_secret: ${CLOSE_CLIENT_SECRET}\n",
    "x-deploy:\n  client_secret: $CLOSE_CLIENT_SECRET\n",
    "x-deploy:\n  client_secret: env:CLOSE_CLIENT_SECRET\n",
    "x-deploy:\n  client_secret: vault:secret/data/close#client_secret\n",
    "x-deploy:\n  client_secret: op://Platform/Close OAuth/client secret\n",
    "x-deploy:\n  client_secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:close-AbCdEf\n",
    "x-deploy:\n  client_secret: sm://projects/acme/secrets/close\n",
    "x-deploy:\n  client_secret: '${{ secrets.CLOSE_CLIENT_SECRET }}'\n",
    "x-deploy:\n  client_secret: '{{ close_client_secret }}'\n",
    "x-db: https://admin:${DB_PASSWORD}@db.tidewater.dev/app\n",
    "x-cb: https://app.tidewater.dev/cb?token=${TOKEN}\n",
    # placeholders, masks, empty values
    "x-deploy:\n  client_secret: <your client secret>\n",
    "x-deploy:\n  client_secret: changeme\n",
    "x-deploy:\n  client_secret: '********'\n",
    "x-deploy:\n  client_secret: xxxxxxxxxxxxxxxx\n",
    "x-deploy:\n  client_secret: sk_live_…\n",
    "x-deploy:\n  client_secret: ''\n",
    "x-deploy:\n  client_secret:\n",
    # public identifiers
    "client_id: oa2client_0123456789abcdefABCDEF\n",
    "x-deploy:\n  api_key_id: 123e4567-e89b-12d3-a456-426614174000\n",
    "x-deploy:\n  token: 123e4567-e89b-12d3-a456-426614174000\n",
    "x-release:\n  commit_token: 3f786850e387550fdab836ed7e6dc881de23001b\n",
    # things about a secret that are not the secret
    "x-oauth:\n  token_url: https://auth.tidewater.dev/oauth/token\n  token_ttl: 3600\n  secret_name: close-oauth\n",
    "x-docs: The client secret stays in our secret store, never in this file.\n",
    "# token: see the platform wiki\n",
    "x-stripe-publishable: pk_live_51HxQ2bC8dE9fG0hI1jK2lM3n\n",
    "x-sha: 3f786850e387550fdab836ed7e6dc881de23001b\n",
    "x-link: https://app.tidewater.dev/settings?tab=tokens&page=2\n",
    # URL parameters about a secret, switches, templates and %-escaped placeholders
    "x-cb: https://app.tidewater.dev/cb?token_type=bearer&token_ttl=3600\n",
    "x-cb: https://app.tidewater.dev/cb?remember_token=true&api_key=0\n",
    "x-cb: https://app.tidewater.dev/cb?token={token}\n",
    "x-cb: https://app.tidewater.dev/cb?access_token=%3CACCESS_TOKEN%3E\n",
    "x-cb: https://app.tidewater.dev/cb?client_secret=%24%7BCLIENT_SECRET%7D\n",
]
