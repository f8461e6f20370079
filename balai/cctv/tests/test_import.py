import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from balai.accounts.models import AuditLog
from balai.cctv.models import Camera, Site

HEADER = "nama,kode_desa,situs,tujuan,visibilitas,pemilik,url_rtsp,url_snapshot,kontak_pengelola"


def upload(client, text, name="kamera.csv"):
    data = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("cctv:import"), {"berkas": data})


def test_a_good_list_is_imported_with_its_sites_and_again_changes_nothing(cast, login_as, client):
    login_as(cast.admin)
    text = "\n".join(
        [
            HEADER,
            "Gerbang,35.08.01.2001,Balai desa,keamanan,publik,,rtsp://10.1.0.2/s1,,Desa 0812",
            "Jembatan,35.08.01.2001,Balai desa,bencana,staf,bpbd-x,rtsp://10.1.0.3/s1,,BPBD",
            "Simpang,35.08.02.2001,,lalu lintas,publik,dinas-pupr,,http://10.2.0.2/snap.jpg,Dishub",
        ]
    ).replace("bpbd-x", "")
    response = upload(client, text)
    assert "3 kamera baru" in response.content.decode()
    assert Camera.objects.count() == 3 and Site.objects.count() == 1
    assert Camera.objects.get(name="Simpang").owner_agency == cast.agency
    assert Camera.objects.get(name="Simpang").purpose == "lalu_lintas"
    response = upload(client, text)
    assert "0 kamera baru, 3 diperbarui" in response.content.decode()
    assert Camera.objects.count() == 3
    assert AuditLog.objects.filter(action="camera_list_imported").count() == 2


def test_every_bad_row_is_reported_and_nothing_is_imported(cast, login_as, client):
    login_as(cast.admin)
    text = "\n".join(
        [
            HEADER,
            "Baik,35.08.01.2001,,keamanan,publik,,rtsp://10.1.0.2/s1,,Desa",
            "Sandi,35.08.01.2001,,keamanan,publik,,rtsp://admin:12345@10.1.0.9/s1,,Desa",
            "Kunci,35.08.01.2001,,keamanan,publik,,,http://10.1.0.9/s.jpg?key=abc,Desa",
            "Rusak,35.08.01.2001,,keamanan,publik,,rtsp//10.1.0.9,,Desa",
            "Baik,35.08.01.2001,,keamanan,publik,,rtsp://10.1.0.3/s1,,Desa",
            "Luar,35.09.01.2001,,keamanan,publik,,rtsp://10.1.0.4/s1,,Desa",
            "Belum,35.08.01.2002,,keamanan,publik,,rtsp://10.1.0.5/s1,,Desa",
            "Aneh,35.08.01.2001,,hiburan,publik,,rtsp://10.1.0.6/s1,,Desa",
        ]
    )
    page = upload(client, text).content.decode()
    assert "7 kesalahan; tidak ada yang disimpan" in page
    for reason in [
        "kolom kredensial",
        "parameter rahasia",
        "rtsp://",
        "sudah ada di baris 2",
        "tidak ada di kabupaten ini",
        "belum bergabung",
        "Tujuan harus",
    ]:
        assert reason in page, reason
    assert "12345" not in page and "key=abc" not in page  # refused secrets are not shown back
    assert "rtsp://***@10.1.0.9/s1" in page
    assert not Camera.objects.exists()


def test_a_credentials_column_refuses_the_whole_file(cast, login_as, client):
    login_as(cast.admin)
    page = upload(client, HEADER + ",password\nA,35.08.01.2001,,keamanan,,,rtsp://h/s,,D,x")
    assert "kolom kredensial" in page.content.decode()
    assert not Camera.objects.exists()


def test_village_staff_may_import_only_their_village(cast, login_as, client):
    login_as(cast.operator_a)
    text = HEADER + "\nB,35.08.02.2001,,keamanan,publik,,rtsp://10.1.0.2/s1,,Desa"
    assert "tidak mengelola kamera desa ini" in upload(client, text).content.decode()


def test_export_as_xlsx_reads_back_without_credentials(cast, cams, login_as, client):
    from balai.cctv import crypto

    Camera.objects.filter(pk=cams.gate.pk).update(credentials=crypto.encrypt("root", "s3cret"))
    login_as(cast.operator_a)
    response = client.get(reverse("cctv:export-xlsx"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][:2] == ["nama", "kode_desa"]
    names = {r[0] for r in rows[1:]}
    assert names == {"Gerbang", "Pasar", "Lapangan", "Jalan raya"}
    assert b"s3cret" not in response.content and "ya" in [r[19] for r in rows[1:]]
    csv_body = client.get(reverse("cctv:export-csv")).content.decode("utf-8-sig")
    assert "Balai B" not in csv_body and "Gerbang" in csv_body
