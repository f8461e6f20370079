from balai.lib import tracking


def test_codes_are_28_crockford_characters_and_differ():
    codes = {tracking.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 28 and set(c) <= set(tracking.ALPHABET) for c in codes)


def test_typed_codes_are_forgiving_about_case_dashes_and_lookalikes():
    code = "0123456789ABCDEFGHJKMNPQRSTV"
    typed = "o123-4567 89ab-cdef ghjk-mnpq-rstv"
    assert tracking.normalise(typed) == code
    assert tracking.normalise("l123456789ABCDEFGHJKMNPQRSTV") == "1123456789ABCDEFGHJKMNPQRSTV"
    assert tracking.grouped(code) == "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV"


def test_anything_else_is_not_a_code():
    for text in ("", "123", "0123456789ABCDEFGHJKMNPQRSTVW", "0123456789ABCDEFGHJKMNPQRST!", None):
        assert tracking.normalise(text) is None
