"""Statistics Norway's PxWebApi v2: queries and metadata, the rate limiter, the JSON-stat2 reader, the HTTP client."""
