"""Names of cast members (root conftest.py) by what they may do, for parametrised tests."""

NOT_REGENCY_ADMIN = [
    "operator_a",
    "secretary_a",
    "head_a",
    "district_a",
    "agency_officer",
    "command_center",
    "outsider",
]
