"""Questionnaire definition files <-> domain objects: YAML parsing, validation, hashing."""
