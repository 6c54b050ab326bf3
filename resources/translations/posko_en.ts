<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Tindakan ini tidak dapat dibatalkan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
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
    <name>DispatchDialog</name>
    <message>
        <source>Disposisi</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n laporan</source>
        <translation type="unfinished">
            <numerusform>%n report</numerusform>
            <numerusform>%n reports</numerusform>
        </translation>
    </message>
    <message>
        <source>Disposisikan {what} ke instansi:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ketik untuk mencari instansi…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cari instansi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instansi tujuan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pesan untuk instansi (opsional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tanpa target waktu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15 menit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 menit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 jam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hari</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 hari</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waktu tertentu…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Catatan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Target selesai</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disposisikan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pilih minimal satu instansi (Spasi untuk mencentang).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target waktu harus di masa depan.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Ekspor laporan shift</source>
        <translation>Export shift report</translation>
    </message>
    <message>
        <source>24 jam terakhir</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <source>Hari ini</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Kemarin</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>7 hari terakhir</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Pilih sendiri</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>Semua wilayah</source>
        <translation>All regions</translation>
    </message>
    <message>
        <source>PDF (A4, untuk dicetak)</source>
        <translation>PDF (A4, for printing)</translation>
    </message>
    <message>
        <source>XLSX (Excel, satu lembar per tabel)</source>
        <translation>XLSX (Excel, one sheet per table)</translation>
    </message>
    <message>
        <source>CSV (daftar laporan)</source>
        <translation>CSV (report list)</translation>
    </message>
    <message>
        <source>&amp;Pilih…</source>
        <translation>&amp;Choose…</translation>
    </message>
    <message>
        <source>Tampilkan nama dan telepon pelapor (dicatat di linimasa)</source>
        <translation>Show reporters&apos; names and phone numbers (recorded in the timeline)</translation>
    </message>
    <message>
        <source>Hanya supervisor atau admin yang boleh membuka data pribadi.</source>
        <translation>Only a supervisor or an admin may reveal personal data.</translation>
    </message>
    <message>
        <source>Buka hasil setelah selesai</source>
        <translation>Open the result when done</translation>
    </message>
    <message>
        <source>Periode</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Dari (WIB)</source>
        <translation>From (WIB)</translation>
    </message>
    <message>
        <source>Sampai (WIB)</source>
        <translation>To (WIB)</translation>
    </message>
    <message>
        <source>Wilayah</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Bahasa dokumen</source>
        <translation>Document language</translation>
    </message>
    <message>
        <source>Simpan ke</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>&amp;Ekspor</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Simpan laporan shift</source>
        <translation>Save shift report</translation>
    </message>
    <message>
        <source>Pilih tempat menyimpan berkas.</source>
        <translation>Choose where to save the file.</translation>
    </message>
    <message>
        <source>Mengekspor…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>&amp;Batalkan ekspor</source>
        <translation>&amp;Cancel export</translation>
    </message>
    <message>
        <source>Membaca data…</source>
        <translation>Reading data…</translation>
    </message>
    <message>
        <source>Menyusun dokumen…</source>
        <translation>Building the document…</translation>
    </message>
    <message>
        <source>Menyimpan…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Selesai.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>Tersimpan: {path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <source>&amp;Tutup</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>Membatalkan…</source>
        <translation>Cancelling…</translation>
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
    <name>MergeDialog</name>
    <message>
        <source>Gabungkan laporan duplikat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laporan duplikat ditutup dengan status “Duplikat” dan linimasanya digabung ke laporan asli. Keduanya tetap bisa dibuka.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laporan asli (tetap berjalan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplikat (ditutup)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tukar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catatan (opsional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Penggabungan tidak dapat dibatalkan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gabungkan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Tutup pesan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpRunner</name>
    <message>
        <source>Laporan ini baru saja diubah oleh petugas lain atau sinkronisasi. Perubahannya sekarang ditampilkan; periksa lalu ulangi tindakan Anda bila masih perlu.</source>
        <extracomment>A :class:`Changes`, always delivered on the GUI thread.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tindakan “{action}” tidak dapat dilakukan pada laporan berstatus “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tindakan gagal karena kesalahan tak terduga: {error}</source>
        <extracomment>(Changes, result) after an operation succeeded and was broadcast. (message for the operator, exception) when an operation was refused or failed.</extracomment>
        <translation type="unfinished"></translation>
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
        <source>Sinkron</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sisa waktu sampai batas SLA; negatif berarti sudah lewat</source>
        <extracomment>Fraction of the time from intake to the deadline under which the SLA is &quot;at risk&quot; (same rule as console.domain.sla.AT_RISK_FRACTION, on the row&apos;s own span).</extracomment>
        <translation>Time left until the SLA deadline; negative means overdue</translation>
    </message>
    <message>
        <source>Waktu sejak laporan masuk</source>
        <translation>Time since the report came in</translation>
    </message>
    <message>
        <source>Apakah perubahan di komputer ini sudah diterima server pusat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ ditolak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ tertunda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laporan ini tidak lagi cocok dengan saringan; barisnya hilang sebentar lagi atau saat dimuat ulang (F5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laporan P1 baru — tekan A untuk menandai sudah dilihat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batas SLA: {when}</source>
        <translation>SLA due: {when}</translation>
    </message>
    <message>
        <source>Masuk: {when}</source>
        <translation>Received: {when}</translation>
    </message>
    <message>
        <source>Server menolak perubahan laporan ini; lihat status sinkronisasi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Perubahan tersimpan di komputer ini, belum diterima server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sudah sinkron dengan server</source>
        <translation type="unfinished"></translation>
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
    <name>ReasonDialog</name>
    <message>
        <source>Tindakan ini tidak dapat dibatalkan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Isi alasannya dulu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terlalu panjang (paling banyak {n} karakter).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShiftPanel</name>
    <message>
        <source>Nama</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Peran</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Sejak (WIB)</source>
        <translation>Since (WIB)</translation>
    </message>
    <message>
        <source>&amp;Masuk shift</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <source>&amp;Keluar shift</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <source>Sedang bertugas</source>
        <translation>On shift</translation>
    </message>
    <message>
        <source>Hal yang perlu diketahui shift berikutnya…</source>
        <translation>What the next shift needs to know…</translation>
    </message>
    <message>
        <source>&amp;Simpan catatan</source>
        <translation>&amp;Save note</translation>
    </message>
    <message>
        <source>Catatan serah terima</source>
        <translation>Handover note</translation>
    </message>
    <message>
        <source>Sahkan sebagai supervisor &amp;keluar</source>
        <translation>Sign as &amp;outgoing supervisor</translation>
    </message>
    <message>
        <source>Sahkan sebagai supervisor &amp;masuk</source>
        <translation>Sign as &amp;incoming supervisor</translation>
    </message>
    <message>
        <source>Serah terima menunggu pengesahan</source>
        <translation>Handovers waiting for sign-off</translation>
    </message>
    <message>
        <source>menunggu supervisor masuk</source>
        <translation>waiting for the incoming supervisor</translation>
    </message>
    <message>
        <source>menunggu supervisor keluar</source>
        <translation>waiting for the outgoing supervisor</translation>
    </message>
    <message>
        <source>(sinkronisasi belum tersambung)</source>
        <translation>(sync not yet connected)</translation>
    </message>
    <message>
        <source>Dibuat {at} oleh {name}</source>
        <translation>Made {at} by {name}</translation>
    </message>
    <message>
        <source>P1/P2 terbuka: {n}</source>
        <translation>Open P1/P2: {n}</translation>
    </message>
    <message>
        <source>SLA berisiko: {n} · lewat SLA: {m}</source>
        <translation>SLA at risk: {n} · SLA breached: {m}</translation>
    </message>
    <message>
        <source>Disposisi belum diterima instansi: {n}</source>
        <translation>Dispatches not acknowledged by the agency: {n}</translation>
    </message>
    <message>
        <source>Perubahan lokal belum terkirim: {n} (+{q} dikarantina)</source>
        <translation>Local changes not yet synced: {n} (+{q} quarantined)</translation>
    </message>
    <message>
        <source>Konflik sinkronisasi terbuka: {n}</source>
        <translation>Open sync conflicts: {n}</translation>
    </message>
    <message>
        <source>Catatan:</source>
        <translation>Note:</translation>
    </message>
    <message>
        <source>P1/P2 terbuka</source>
        <translation>Open P1/P2</translation>
    </message>
    <message>
        <source>Lewat SLA</source>
        <translation>SLA breached</translation>
    </message>
    <message>
        <source>SLA berisiko</source>
        <translation>SLA at risk</translation>
    </message>
    <message>
        <source>Anda masuk shift.</source>
        <translation>You are signed in.</translation>
    </message>
    <message>
        <source>Anda keluar shift.</source>
        <translation>You are signed out.</translation>
    </message>
    <message>
        <source>Catatan serah terima disimpan.</source>
        <translation>Handover note saved.</translation>
    </message>
    <message>
        <source>Serah terima disahkan.</source>
        <translation>Handover signed.</translation>
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
        <source>Verifikasi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tolak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tandai duplikat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tandai panggilan iseng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tandai panggilan kosong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Informasi dijawab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disposisi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mulai ditangani</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selesaikan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Buka kembali</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gabungkan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pembatalan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Darurat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Informasi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Iseng</source>
        <translation type="unfinished"></translation>
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
