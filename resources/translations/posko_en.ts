<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>DetailPanel</name>
    <message>
        <source>Pilih laporan di antrean untuk melihat rinciannya.</source>
        <translation>Select a report in the queue to see its details.</translation>
    </message>
    <message>
        <source>Uraian</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Tiket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Prioritas</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Kanal</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Triase 112</source>
        <translation>112 triage</translation>
    </message>
    <message>
        <source>Wilayah</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Alamat</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Koordinat</source>
        <translation>Coordinates</translation>
    </message>
    <message>
        <source>Pelapor</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <source>Instansi</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Batas SLA</source>
        <translation>SLA due</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Diperbarui</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>Terverifikasi</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>Didisposisikan</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>Ditutup</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Duplikat dari</source>
        <translation>Duplicate of</translation>
    </message>
    <message>
        <source>Dicatat oleh</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>Revisi</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>{name} · {phone} (disamarkan)</source>
        <translation>{name} · {phone} (masked)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Posko — {file}</source>
        <translation>Posko — {file}</translation>
    </message>
    <message>
        <source>Antrean</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Peta</source>
        <translation>Map</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Berkas data</source>
        <translation>Data file</translation>
    </message>
    <message>
        <source>&amp;Berkas</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Keluar</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Tampilan</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Atur &amp;ulang tata letak</source>
        <translation>&amp;Reset layout</translation>
    </message>
    <message>
        <source>&amp;Laporan</source>
        <translation>&amp;Reports</translation>
    </message>
    <message>
        <source>&amp;Cari</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>&amp;Muat ulang</source>
        <translation>Re&amp;load</translation>
    </message>
    <message>
        <source>&amp;Bantuan</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Pintasan keyboard</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>&amp;Tentang Posko</source>
        <translation>&amp;About Posko</translation>
    </message>
    <message>
        <source>Pindah baris di antrean</source>
        <translation>Move through the queue</translation>
    </message>
    <message>
        <source>↑ / ↓, PgUp / PgDn, Home / End</source>
        <translation>↑ / ↓, PgUp / PgDn, Home / End</translation>
    </message>
    <message>
        <source>Pilih beberapa laporan</source>
        <translation>Select several reports</translation>
    </message>
    <message>
        <source>Shift+↑/↓, Ctrl+klik</source>
        <translation>Shift+↑/↓, Ctrl+click</translation>
    </message>
    <message>
        <source>Cari langsung (tanpa menunggu)</source>
        <translation>Search now (without waiting)</translation>
    </message>
    <message>
        <source>Enter di kotak cari</source>
        <translation>Enter in the search box</translation>
    </message>
    <message>
        <source>Pindah antarbagian</source>
        <translation>Move between panels</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Shift+Tab</translation>
    </message>
    <message>
        <source>Pintasan keyboard</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Perintah</source>
        <translation>Command</translation>
    </message>
    <message>
        <source>Tombol</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>Tentang Posko</source>
        <translation>About Posko</translation>
    </message>
    <message>
        <source>Posko — konsol operator pos komando untuk command center kota dan kantor kelurahan.
Bekerja penuh secara luring dan menyinkronkan data dengan server pusat saat jaringan tersedia.</source>
        <translation>Posko — the command-post operator console for city command centers and kelurahan offices.
Works fully offline and syncs with the central server whenever the network allows.</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <source>Peta luring belum tersedia di versi ini.
Lokasi laporan tetap tercantum di panel Detail.</source>
        <translation>The offline map is not available in this version yet.
Report locations are listed in the Detail panel.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Tiket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Prioritas</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Kelurahan</source>
        <translation>Kelurahan</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Kanal</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Umur</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>Instansi</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Sisa waktu sampai batas SLA; negatif berarti sudah lewat</source>
        <translation>Time left until the SLA deadline; negative means overdue</translation>
    </message>
    <message>
        <source>Waktu sejak laporan masuk</source>
        <translation>Time since the report came in</translation>
    </message>
    <message>
        <source>Batas SLA: {when}</source>
        <translation>SLA due: {when}</translation>
    </message>
    <message>
        <source>Masuk: {when}</source>
        <translation>Received: {when}</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Cari tiket, judul, alamat… (Ctrl+F)</source>
        <translation>Search ticket, title, address… (Ctrl+F)</translation>
    </message>
    <message>
        <source>Cari laporan</source>
        <translation>Search reports</translation>
    </message>
    <message>
        <source>Saring status</source>
        <translation>Status filter</translation>
    </message>
    <message>
        <source>Saring menurut status</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>Terbuka</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Belum terverifikasi</source>
        <translation>Not yet verified</translation>
    </message>
    <message>
        <source>Lewat SLA</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Sedang ditangani</source>
        <translation>Being handled</translation>
    </message>
    <message>
        <source>Selesai/ditutup</source>
        <translation>Resolved/closed</translation>
    </message>
    <message>
        <source>Semua</source>
        <translation>All</translation>
    </message>
    <message>
        <source>menghitung…</source>
        <translation>counting…</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan</source>
        <translation>
            <numerusform>%n report</numerusform>
            <numerusform>%n reports</numerusform>
        </translation>
    </message>
    <message>
        <source>Gagal memuat antrean</source>
        <translation>Could not load the queue</translation>
    </message>
</context>
<context>
    <name>SyncStateWidget</name>
    <message>
        <source>Belum tersambung ke server pusat. Semua perubahan disimpan di komputer ini dan dikirim saat sinkronisasi aktif.</source>
        <translation>Not connected to the central server. All changes are kept on this computer and sent once sync is active.</translation>
    </message>
    <message>
        <source>Luring</source>
        <translation>Offline</translation>
    </message>
    <message numerus="yes">
        <source>{state} · %n perubahan tertunda</source>
        <translation>
            <numerusform>{state} · %n pending change</numerusform>
            <numerusform>{state} · %n pending changes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>Belum terverifikasi</source>
        <translation>New (unverified)</translation>
    </message>
    <message>
        <source>Terverifikasi</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>Didisposisikan</source>
        <translation>Dispatched</translation>
    </message>
    <message>
        <source>Ditindaklanjuti</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>Ditutup</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Ditolak</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Bukan kewenangan</source>
        <translation>Not our authority</translation>
    </message>
    <message>
        <source>Duplikat</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Panggilan iseng</source>
        <translation>Prank call</translation>
    </message>
    <message>
        <source>Panggilan kosong</source>
        <translation>Ghost call</translation>
    </message>
    <message>
        <source>Aplikasi/web</source>
        <translation>App/web</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Telepon 112</source>
        <translation>112 call</translation>
    </message>
    <message>
        <source>Telepon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Datang langsung</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <source>Media sosial</source>
        <translation>Social media</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>P1 Darurat</source>
        <translation>P1 Emergency</translation>
    </message>
    <message>
        <source>P2 Tinggi</source>
        <translation>P2 High</translation>
    </message>
    <message>
        <source>P3 Sedang</source>
        <translation>P3 Medium</translation>
    </message>
    <message>
        <source>P4 Rendah</source>
        <translation>P4 Low</translation>
    </message>
    <message>
        <source>WIB</source>
        <translation>WIB</translation>
    </message>
    <message>
        <source>{d}h {h}j</source>
        <translation>{d}d {h}h</translation>
    </message>
    <message>
        <source>{h}j {m}m</source>
        <translation>{h}h {m}m</translation>
    </message>
    <message>
        <source>{m}m</source>
        <translation>{m}m</translation>
    </message>
</context>
<context>
    <name>run_console</name>
    <message>
        <source>Posko</source>
        <translation>Posko</translation>
    </message>
    <message>
        <source>Berkas data tidak dapat dibuka. Berkas tidak diubah.</source>
        <translation>The data file cannot be opened. The file was not changed.</translation>
    </message>
</context>
</TS>
