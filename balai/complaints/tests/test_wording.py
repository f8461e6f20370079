"""The public timeline speaks plainly: reasons in words, never internal codes, and a
dispatch said once."""

from balai.complaints import actions


def test_the_timeline_says_reasons_in_words_and_a_dispatch_once(client, cast, file_report):
    complaint, _ = file_report()
    actions.verify_complaint(complaint, cast.command_center)  # dispatched to its agency
    actions.start_progress(complaint, cast.agency_officer)
    actions.resolve_complaint(complaint, cast.agency_officer, "Sudah ditambal.")
    actions.reopen_complaint(complaint, "Masih berlubang di sisi timur.")
    actions.resolve_complaint(complaint, cast.agency_officer, "Sisi timur juga ditambal.")
    actions.confirm_resolution(complaint, "Terima kasih.")

    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Alasan: Pelapor menyatakan masalahnya belum selesai" in page
    assert "Alasan: Pelapor menyatakan masalahnya sudah selesai" in page
    for internal in ("confirmed", "reopened", "no_reply", "returned"):
        assert internal not in page
    assert "Disposisi: Didisposisikan" not in page
    assert "<strong>Didisposisikan</strong>" in page
    # One name form for the agency: its full name, as on "who handles what".
    assert cast.agency.name in page
