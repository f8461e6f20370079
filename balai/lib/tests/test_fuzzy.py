"""Names as people type them: folded, then scored."""

from balai.lib.fuzzy import fold, rank, score


def test_folding_drops_case_spaces_dashes_accents_and_the_kind_of_place():
    assert fold("Desa Tegal-Rejo") == "tegalrejo"
    assert fold("Selok Awar - Awar") == "selokawarawar"
    assert fold("Kecamatan Yosowilangun") == "yosowilangun"
    assert fold("Kelurahan Citrodiwangsan") == "citrodiwangsan"


def test_exact_beats_prefix_beats_part_beats_a_typo():
    assert score("tegalrejo", "Tegalrejo") == 1.0
    assert score("tegal", "Tegalrejo") == 0.9
    assert score("rejo", "Tegalrejo") == 0.85
    assert 0.75 < score("tegalrjo", "Tegalrejo") < 0.85
    assert score("sumbersuko", "Tegalrejo") == 0


def test_rank_keeps_the_given_order_among_equals_and_drops_the_far_off():
    items = ["Tegalrandu", "Tegalrejo", "Kraton"]
    assert rank("tegal", items, lambda name: [(name, 1.0)]) == ["Tegalrandu", "Tegalrejo"]
    assert rank("", items, lambda name: [(name, 1.0)]) == items
