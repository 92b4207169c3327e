"""JSON Schemas of the hub's requests and responses, for its OpenAPI document.

The routes read raw bodies and check them with `app.sync.wire` (the one definition of the wire
format, shared with the client); these schemas describe the same shapes for readers and for
schema-driven testing.
"""

from __future__ import annotations

from typing import Any

ID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"}
SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

SECURITY_SCHEMES = {
    "deviceToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "The device token from POST /v1/enroll.",
    }
}

ERROR = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
                "required": ["detail"],
            }
        }
    }
}

_ERRORS = {
    401: "No token, or an unknown or revoked one",
    403: "The token belongs to another city",
    404: "Not found",
    408: "The request body arrived too slowly",
    409: "The same batch is being applied right now",
    413: "The request body is too large",
    422: "The request does not follow the wire format",
    429: "Too many failed attempts",
    503: "The hub is busy or its database unavailable",
}


Responses = dict[int | str, dict[str, Any]]


def with_errors(ok: Responses, *extra: int) -> Responses:
    codes = {401, 403, 408, 422, 503, *extra}
    responses: Responses = dict(ok)
    for code in sorted(codes):
        responses[code] = {"description": _ERRORS[code], **ERROR}
    return responses


def _json(schema: dict[str, Any], description: str = "OK") -> Responses:
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


HEALTH = _json({"type": "object", "properties": {"status": {"type": "string"}}})

ENROLL_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "minLength": 1, "maxLength": 64},
                    "device_name": {"type": "string", "maxLength": 100},
                    "local_device_id": ID,
                    "public_key": {
                        "type": "string",
                        "maxLength": 64,
                        "description": "The laptop's Ed25519 public key (base64 of 32 bytes)",
                    },
                },
                "required": ["code"],
                "additionalProperties": False,
            }
        }
    },
}

ENROLL_RESPONSES: Responses = {
    **_json(
        {
            "type": "object",
            "properties": {
                "token": {"type": "string"},
                "device_id": ID,
                "city": {
                    "type": "object",
                    "properties": {
                        "id": ID,
                        "name": {"type": "string"},
                        "country": {"type": "string"},
                    },
                },
                "contributor": {"type": "string"},
            },
            "required": ["token", "device_id", "city"],
        }
    ),
    401: {"description": "Unknown, used or expired code", **ERROR},
    408: {"description": _ERRORS[408], **ERROR},
    409: {"description": "This laptop is enrolled in the city for another contributor", **ERROR},
    413: {"description": _ERRORS[413], **ERROR},
    422: {"description": _ERRORS[422], **ERROR},
    429: {"description": _ERRORS[429], **ERROR},
    503: {"description": _ERRORS[503], **ERROR},
}

RECORD = {
    "type": "object",
    "properties": {
        "kind": {
            "type": "string",
            "enum": [
                "questionnaire",
                "contributor",
                "assessment",
                "assessment_event",
                "revision",
                "attachment",
            ],
        },
        "id": {"type": "string"},
        "body": {"type": "object"},
    },
    "required": ["kind", "id", "body"],
}

PUSH_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "batch_id": ID,
                    "city_id": ID,
                    "ops": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 200,
                        "items": {
                            "type": "object",
                            "properties": {"op_id": ID, "city_id": ID, "record": RECORD},
                            "required": ["op_id", "city_id", "record"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["batch_id", "city_id", "ops"],
                "additionalProperties": False,
            }
        }
    },
}

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "Must equal batch_id; a retry reuses it.",
    "schema": ID,
}

PUSH_RESPONSE = _json(
    {
        "type": "object",
        "properties": {
            "batch_id": ID,
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "op_id": ID,
                        "status": {
                            "type": "string",
                            "enum": ["applied", "duplicate", "quarantined"],
                        },
                        "change_seq": {"type": "integer"},
                        "reason": {"type": "string"},
                        "flags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["op_id", "status"],
                },
            },
        },
        "required": ["results"],
    }
)

PAGE = _json(
    {
        "type": "object",
        "properties": {
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "seq": {"type": "integer"},
                        "kind": {"type": "string"},
                        "id": {"type": "string"},
                        "body": {"type": "object"},
                        "flags": {"type": "array", "items": {"type": "string"}},
                        "sent_by": {
                            "type": "string",
                            "description": "The device that really sent the record",
                        },
                    },
                    "required": ["seq", "kind", "id", "body"],
                },
            },
            "next_since": {"type": "integer"},
            "has_more": {"type": "boolean"},
        },
        "required": ["records", "next_since", "has_more"],
    }
)

CONFLICTS = _json({"type": "object", "properties": {"conflicts": {"type": "array"}}})

DEVICE_KEYS = _json(
    {
        "type": "object",
        "properties": {
            "devices": {
                "type": "object",
                "description": "The public signing key of each of the city's laptops, by its id",
                "additionalProperties": {"type": "string"},
            }
        },
        "required": ["devices"],
    }
)

FORMS = _json(
    {
        "type": "object",
        "properties": {
            "forms": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "version": {"type": "string"},
                        "sha256": SHA,
                        "size": {"type": "integer"},
                        "published_at": {"type": "string"},
                    },
                },
            }
        },
    }
)

BYTES: Responses = {
    200: {
        "description": "The content",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}

BLOB_BODY = {
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}

BLOB_STORED = _json(
    {
        "type": "object",
        "properties": {"sha256": SHA, "size": {"type": "integer"}, "stored": {"type": "boolean"}},
    }
)
