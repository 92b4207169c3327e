"""Bundle files (`.readiness`): one assessment's records and contents in a zip, for email or USB.

Layout (format version 1):
    manifest.json            format, format_version, assessment_id, device_id, created_at, city,
                             and for every other entry its SHA-256 and size
    records.json             the record envelopes (see wire.py), dependencies first
    questionnaires/<sha256>  the exact bytes of each questionnaire file the assessment uses
    attachments/<sha256>     the content of each attachment
    signature.json           device_id, public_key and the Ed25519 signature of the exact bytes
                             of manifest.json (which holds every other entry's SHA-256), made
                             with the exporting laptop's key (`app.sync.signing`)

A signature that does not match, or a signing device other than the manifest's, refuses the
file; whether the signing key is trusted is the importer's decision (first use, or known).

Reading is done in memory with caps and checks everything before anything is written: the size
of the file, the number of entries, their names (no absolute paths, drive letters, backslashes,
`..`, non-UTF-8 names, duplicates or unexpected files), their kind (no symlinks, directories or
encrypted members), declared sizes and compression ratios (zip bombs), the actual size and the
SHA-256 of every entry against the manifest, and every record against the wire format. Nothing is
ever extracted to disk.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.sync import signing, wire
from app.sync.wire import Record, WireError

FORMAT = "readiness-bundle"
FORMAT_VERSION = 1
SUFFIX = ".readiness"

MAX_FILE = 256 * 1024 * 1024  # the bundle file itself
MAX_ENTRIES = 4096
MAX_TOTAL = 512 * 1024 * 1024  # all entries uncompressed
MAX_MANIFEST = 1024 * 1024
MAX_RECORDS = 128 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 64 * 1024
MAX_RECORD_COUNT = 500_000

_BLOB_DIRS = {"questionnaire": "questionnaires", "attachment": "attachments"}
_NAME_RE = re.compile(
    r"^(manifest\.json|records\.json|signature\.json|(questionnaires|attachments)/[0-9a-f]{64})$"
)
SIGNATURE = "signature.json"
_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleError(ValueError):
    """A bundle that cannot be imported; `str(err)` says what is wrong with it."""


@dataclass(frozen=True)
class CityRef:
    name: str
    country: str
    city_key: str
    hub_city_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "city_key": self.city_key,
            "hub_city_id": self.hub_city_id,
        }


@dataclass(frozen=True)
class Signer:
    """Who signed a bundle: the device and its public key (the signature itself was checked)."""

    device_id: str
    public_key: str


@dataclass(frozen=True)
class Bundle:
    assessment_id: str
    device_id: str
    created_at: str
    city: CityRef
    records: tuple[Record, ...]
    blobs: Mapping[tuple[str, str], bytes] = field(default_factory=dict)  # (kind, sha) -> bytes
    signer: Signer | None = None  # None: an unsigned file (refused by the importers)


def blob_entry(kind: str, sha256: str) -> str:
    return f"{_BLOB_DIRS[kind]}/{sha256}"


# ---------------------------------------------------------------------------------------------
# Writing


def write_bundle(bundle: Bundle, private_key: str | None = None) -> bytes:
    """The zip bytes of a bundle (the caller writes them atomically), signed with the exporting
    device's `private_key` when given."""
    contents: dict[str, bytes] = {
        "records.json": json.dumps(
            [r.envelope() for r in bundle.records], ensure_ascii=False, sort_keys=True
        ).encode("utf-8")
    }
    for (kind, sha256), data in sorted(bundle.blobs.items()):
        contents[blob_entry(kind, sha256)] = data
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "assessment_id": bundle.assessment_id,
        "device_id": bundle.device_id,
        "created_at": bundle.created_at,
        "city": bundle.city.to_json(),
        "entries": {
            name: {"sha256": _sha(data), "size": len(data)} for name, data in contents.items()
        },
    }
    manifest_bytes = _json_bytes(manifest)
    entries = [("manifest.json", manifest_bytes), *contents.items()]
    if private_key is not None:
        signature = {
            "device_id": bundle.device_id,
            "public_key": signing.public_key_of(private_key),
            "signature": signing.sign(private_key, manifest_bytes),
        }
        entries.append((SIGNATURE, _json_bytes(signature)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    return out.getvalue()


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reading


def read_bundle_file(path: str | Path) -> Bundle:
    """Read and check a bundle file; BundleError (naming the file) when it cannot be used."""
    source = Path(path)
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise BundleError(f"{source}: is not a file")
        if size > MAX_FILE:
            raise BundleError(f"{source}: larger than {MAX_FILE // 2**20} MiB")
        data = source.read_bytes()
    except FileNotFoundError:
        raise BundleError(f"{source}: no such file") from None
    except OSError as exc:
        raise BundleError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        return read_bundle(data)
    except BundleError as exc:
        raise BundleError(f"{source}: {exc}") from None


def read_bundle(data: bytes) -> Bundle:
    if len(data) > MAX_FILE:
        raise BundleError(f"larger than {MAX_FILE // 2**20} MiB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = _check_entries(zf.infolist())
            manifest_bytes = _read_member(zf, infos["manifest.json"])
            manifest = _read_manifest(manifest_bytes, infos)
            contents = {
                name: _read_entry(zf, info, manifest["entries"].get(name))
                for name, info in infos.items()
                if name not in ("manifest.json", SIGNATURE)
            }
            signed = _read_member(zf, infos[SIGNATURE]) if SIGNATURE in infos else None
    except BundleError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise BundleError(f"not a readable bundle (damaged or truncated zip: {exc})") from None
    except (NotImplementedError, RuntimeError) as exc:
        raise BundleError(f"unsupported zip feature: {exc}") from None
    bundle = _assemble(manifest, contents)
    if signed is None:
        return bundle
    signer = _check_signature(signed, manifest_bytes)
    if signer.device_id != bundle.device_id:
        raise BundleError(
            f"signed by device {signer.device_id[:8]} but its manifest names device "
            f"{bundle.device_id[:8]} (the file was relabelled)"
        )
    return dataclasses.replace(bundle, signer=signer)


def _check_signature(data: bytes, manifest_bytes: bytes) -> Signer:
    try:
        document = wire.loads(data, SIGNATURE)
        if not isinstance(document, dict) or set(document) != {
            "device_id",
            "public_key",
            "signature",
        }:
            raise WireError(f"{SIGNATURE}: expected device_id, public_key and signature")
        device_id = wire.check_id(document["device_id"], f"{SIGNATURE}.device_id")
        public_key = signing.check_public_key(document["public_key"], f"{SIGNATURE}.public_key")
        signature = signing.check_signature(document["signature"], f"{SIGNATURE}.signature")
    except (WireError, signing.SignatureError) as exc:
        raise BundleError(str(exc)) from None
    if not signing.verify(public_key, manifest_bytes, signature):
        raise BundleError(
            "the signature does not match the file (it was changed after it was signed)"
        )
    return Signer(device_id, public_key)


def _check_entries(infos: Sequence[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > MAX_ENTRIES:
        raise BundleError(f"more than {MAX_ENTRIES} entries")
    found: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        _check_name(info)
        if name in found:
            raise BundleError(f"entry {name!r} appears twice")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise BundleError(f"entry {name!r} is a symbolic link")
        kind = stat.S_IFMT(mode)
        if info.is_dir() or (kind and kind != stat.S_IFREG):
            raise BundleError(f"entry {name!r} is not a regular file")
        if info.flag_bits & 0x1:
            raise BundleError(f"entry {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(f"entry {name!r} uses an unsupported compression")
        limit = _entry_limit(name)
        if info.file_size > limit:
            raise BundleError(f"entry {name!r} is larger than {limit // 2**20} MiB")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BundleError(f"entry {name!r} is compressed suspiciously well (a zip bomb?)")
        total += info.file_size
        if total > MAX_TOTAL:
            raise BundleError(f"entries add up to more than {MAX_TOTAL // 2**20} MiB")
        found[name] = info
    if "manifest.json" not in found:
        raise BundleError("no manifest.json (not a Readiness bundle)")
    return found


def _check_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    shown = repr(name[:80])
    if not info.flag_bits & 0x800 and not name.isascii():
        raise BundleError(f"entry name {shown} is not UTF-8")
    if "\\" in name:
        raise BundleError(f"entry name {shown} contains a backslash")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise BundleError(f"entry name {shown} is an absolute path")
    if ".." in name.split("/"):
        raise BundleError(f"entry name {shown} leaves the bundle (..)")
    if not _NAME_RE.match(name):
        raise BundleError(f"unexpected entry {shown}")


def _entry_limit(name: str) -> int:
    if name in ("manifest.json", SIGNATURE):
        return MAX_MANIFEST
    if name == "records.json":
        return MAX_RECORDS
    return wire.MAX_BLOB


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise BundleError(f"entry {info.filename!r} is not the size it declares")
    return data


def _read_manifest(data: bytes, infos: Mapping[str, zipfile.ZipInfo]) -> dict[str, Any]:
    try:
        document = wire.loads(data, "manifest.json")
    except WireError as exc:
        raise BundleError(str(exc)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BundleError("manifest.json is not a Readiness bundle manifest")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise BundleError(
            f"bundle format version {version!r} is not supported (this version reads "
            f"{FORMAT_VERSION}); update Readiness"
        )
    entries = document.get("entries")
    if not isinstance(entries, dict):
        raise BundleError("manifest.json: entries missing")
    for name, meta in entries.items():
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            raise BundleError(f"manifest.json: entry {str(name)[:80]!r} has no SHA-256")
        if not isinstance(meta.get("size"), int) or isinstance(meta.get("size"), bool):
            raise BundleError(f"manifest.json: entry {str(name)[:80]!r} has no size")
        if name not in infos:
            raise BundleError(f"manifest.json lists {str(name)[:80]!r}, which is missing")
    for name in infos:
        if name not in ("manifest.json", SIGNATURE) and name not in entries:
            raise BundleError(f"entry {name!r} is not listed in the manifest")
    return document


def _read_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, meta: Mapping[str, Any] | None
) -> bytes:
    assert meta is not None  # every entry was checked against the manifest
    data = _read_member(zf, info)
    if len(data) != meta["size"] or _sha(data) != meta["sha256"]:
        raise BundleError(f"entry {info.filename!r} does not match its SHA-256 in the manifest")
    return data


def _assemble(manifest: Mapping[str, Any], contents: Mapping[str, bytes]) -> Bundle:
    try:
        assessment_id = wire.SPECS["assessment"]["id"](
            manifest.get("assessment_id"), "assessment_id"
        )
        device_id = wire.SPECS["contributor"]["device_id"](manifest.get("device_id"), "device_id")
        created_at = wire.SPECS["contributor"]["created_at"](
            manifest.get("created_at"), "created_at"
        )
        city = _city(manifest.get("city"))
    except WireError as exc:
        raise BundleError(f"manifest.json: {exc}") from None
    if "records.json" not in contents:
        raise BundleError("no records.json")
    try:
        envelopes = wire.loads(contents["records.json"], "records.json")
        if not isinstance(envelopes, list) or len(envelopes) > MAX_RECORD_COUNT:
            raise WireError("records.json: expected a list of records")
        records = [wire.check_record(e, f"records.json[{i}]") for i, e in enumerate(envelopes)]
    except WireError as exc:
        raise BundleError(str(exc)) from None
    blobs: dict[tuple[str, str], bytes] = {}
    for name, data in contents.items():
        if name == "records.json":
            continue
        folder, sha256 = name.split("/", 1)
        kind = next(k for k, d in _BLOB_DIRS.items() if d == folder)
        if _sha(data) != sha256:
            raise BundleError(f"entry {name!r} does not match the SHA-256 in its name")
        blobs[(kind, sha256)] = data
    _check_consistency(assessment_id, city, records, blobs)
    return Bundle(assessment_id, device_id, created_at, city, tuple(records), blobs)


def _city(value: Any) -> CityRef:
    if not isinstance(value, dict):
        raise WireError("city: expected an object")
    name = wire.SPECS["assessment"]["city"](value.get("name"), "city.name")
    country = wire.SPECS["assessment"]["country"](value.get("country"), "city.country")
    key = wire.SPECS["assessment"]["city_key"](value.get("city_key"), "city.city_key")
    hub = value.get("hub_city_id")
    return CityRef(
        name, country, key, None if hub is None else wire.check_id(hub, "city.hub_city_id")
    )


def _check_consistency(
    assessment_id: str,
    city: CityRef,
    records: Sequence[Record],
    blobs: Mapping[tuple[str, str], bytes],
) -> None:
    seen: set[tuple[str, str]] = set()
    assessments = []
    for record in records:
        key = (record.kind, record.id)
        if key in seen:
            raise BundleError(f"record {record.kind} {record.id} appears twice")
        seen.add(key)
        if record.kind == "assessment":
            assessments.append(record)
        elif record.kind in ("assessment_event", "revision"):
            if record.body["assessment_id"] != assessment_id:
                raise BundleError(
                    f"{record.kind} {record.id} belongs to another assessment than the manifest's"
                )
        if record.kind in wire.BLOB_KINDS:
            data = blobs.get(key)
            if data is None:
                raise BundleError(f"the content of {record.kind} {record.id[:12]} is missing")
            if len(data) != record.body["size"]:
                raise BundleError(
                    f"the content of {record.kind} {record.id[:12]} has the wrong size"
                )
    if len(assessments) != 1 or assessments[0].id != assessment_id:
        raise BundleError("the records do not hold exactly the manifest's assessment")
    if assessments[0].body["city_key"] != city.city_key:
        raise BundleError("the assessment's city is not the city named in the manifest")
    for key in blobs:
        if key not in seen:
            raise BundleError(f"entry {blob_entry(*key)!r} belongs to no record")
