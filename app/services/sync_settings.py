"""The names under which a data folder keeps its hub enrollment (settings of this laptop).

In a module of their own so that the assessment list can tell whether a hub is set up without
importing the sync machinery.
"""

HUB_URL, CITY_ID, CITY_NAME, CITY_COUNTRY = (
    "sync.hub_url",
    "sync.city_id",
    "sync.city",
    "sync.country",
)
HUB_DEVICE, TOKEN_STORE, ENROLLED_AT = "sync.device_id", "sync.token_store", "sync.enrolled_at"
SIGNING_KEY, DEVICE_KEYS = "sync.signing_key", "sync.device_keys"
