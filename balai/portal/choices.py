"""Values the portal's models and forms share."""

# How long a rendered village-page fragment is reused; announcements with a
# publish or expiry time show up at most this late.
PAGE_CACHE_SECONDS = 60
# How long a worker trusts its copy of the host-name map.
HOST_MAP_SECONDS = 30
