<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>ActionController</name>
    <message>
        <source>Pilih laporan di antrean dulu.</source>
        <extracomment>Actions that write (refused, and shown disabled, while nobody is on duty). (action name, report ids) after an action succeeded (tests, alerts)</extracomment>
        <translation>Select a report in the queue first.</translation>
    </message>
    <message>
        <source>Untuk menggabungkan: pilih dua laporan di antrean, atau pilih laporan di tab Mirip pada panel detail.</source>
        <translation>To merge: select two reports in the queue, or pick a report on the Similar tab of the detail panel.</translation>
    </message>
    <message>
        <source>Tidak ada peringatan P1 yang menunggu.</source>
        <translation>No P1 alerts are waiting.</translation>
    </message>
    <message>
        <source>“{action}” tidak berlaku untuk laporan berstatus {status}.</source>
        <translation>“{action}” does not apply to a report that is {status}.</translation>
    </message>
    <message>
        <source>Laporan yang dibuka masih dimuat; coba lagi sebentar.</source>
        <translation>The open report is still loading; try again in a moment.</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan</source>
        <translation>
            <numerusform>%n report</numerusform>
            <numerusform>%n reports</numerusform>
        </translation>
    </message>
    <message>
        <source>ditriase: {kind}</source>
        <translation>triaged: {kind}</translation>
    </message>
    <message>
        <source>diverifikasi</source>
        <translation>verified</translation>
    </message>
    <message>
        <source>mulai ditangani</source>
        <translation>work started</translation>
    </message>
    <message>
        <source>diselesaikan</source>
        <translation>resolved</translation>
    </message>
    <message>
        <source>Batalkan (Ctrl+Z)</source>
        <translation>Undo (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Tidak ada tindakan yang bisa dibatalkan.</source>
        <translation>There is no action to undo.</translation>
    </message>
    <message>
        <source>Dibatalkan: {what}</source>
        <translation>Undone: {what}</translation>
    </message>
    <message>
        <source>Alasan (dikirim ke pelapor dan tercatat di linimasa)</source>
        <translation>Reason (sent to the reporter and kept in the timeline)</translation>
    </message>
    <message>
        <source>Tolak laporan</source>
        <translation>Reject report</translation>
    </message>
    <message>
        <source>Tolak {what}? Tulis alasannya.</source>
        <translation>Reject {what}? Give the reason.</translation>
    </message>
    <message>
        <source>&amp;Tolak laporan</source>
        <translation>&amp;Reject report</translation>
    </message>
    <message>
        <source>ditolak</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>Bukan kewenangan</source>
        <translation>Not our authority</translation>
    </message>
    <message>
        <source>Tandai {what} sebagai bukan kewenangan? Sebutkan instansi yang berwenang bila tahu.</source>
        <translation>Mark {what} as not our authority? Name the responsible agency if you know it.</translation>
    </message>
    <message>
        <source>&amp;Bukan kewenangan</source>
        <translation>&amp;Not our authority</translation>
    </message>
    <message>
        <source>ditandai bukan kewenangan</source>
        <translation>marked not our authority</translation>
    </message>
    <message>
        <source>Buka kembali</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Buka kembali {what}? Tulis keberatan pelapor.</source>
        <translation>Reopen {what}? Write down the reporter&apos;s objection.</translation>
    </message>
    <message>
        <source>&amp;Buka kembali</source>
        <translation>&amp;Reopen</translation>
    </message>
    <message>
        <source>dibuka kembali</source>
        <translation>reopened</translation>
    </message>
    <message>
        <source>Tutup laporan</source>
        <translation>Close report</translation>
    </message>
    <message>
        <source>Tutup {what}? Laporan yang ditutup tidak dapat dibuka lagi.</source>
        <translation>Close {what}? A closed report cannot be reopened.</translation>
    </message>
    <message>
        <source>&amp;Tutup laporan</source>
        <translation>&amp;Close report</translation>
    </message>
    <message>
        <source>ditutup</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>Tambah catatan</source>
        <translation>Add note</translation>
    </message>
    <message>
        <source>Catatan untuk {what}:</source>
        <translation>Note for {what}:</translation>
    </message>
    <message>
        <source>&amp;Simpan catatan</source>
        <translation>&amp;Save note</translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>diberi catatan</source>
        <translation>noted</translation>
    </message>
    <message>
        <source>Catatan disimpan di {ticket}.</source>
        <translation>Note saved on {ticket}.</translation>
    </message>
    <message>
        <source>didisposisikan ke {agencies}</source>
        <translation>dispatched to {agencies}</translation>
    </message>
    <message>
        <source>{dup} digabung ke {orig} sebagai duplikat.</source>
        <translation>{dup} merged into {orig} as a duplicate.</translation>
    </message>
    <message numerus="yes">
        <source>%n peringatan ditandai sudah dilihat.</source>
        <translation>
            <numerusform>%n alert marked as seen.</numerusform>
            <numerusform>%n alerts marked as seen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sedang ditangani meja lain</source>
        <translation>Being handled at another desk</translation>
    </message>
    <message>
        <source>&amp;Tetap lanjutkan</source>
        <translation>&amp;Continue anyway</translation>
    </message>
    <message>
        <source>Tandai {ticket} sebagai ditangani oleh Anda? Meja lain akan melihatnya.</source>
        <translation>Mark {ticket} as handled by you? Other desks will see it.</translation>
    </message>
    <message>
        <source>Ambil alih penanganan</source>
        <translation>Take over handling</translation>
    </message>
    <message>
        <source>&amp;Ambil alih</source>
        <translation>&amp;Take over</translation>
    </message>
    <message>
        <source>{ticket} kini ditangani oleh Anda.</source>
        <translation>{ticket} is now handled by you.</translation>
    </message>
    <message>
        <source>Aksi massal lain masih berjalan.</source>
        <translation>Another bulk action is still running.</translation>
    </message>
    <message>
        <source>{what} {label}.</source>
        <translation>{what} {label}.</translation>
    </message>
    <message>
        <source>Dihentikan: {n} tidak diproses.</source>
        <translation>Stopped: {n} not processed.</translation>
    </message>
    <message>
        <source>baru saja diubah orang lain (perubahannya kini ditampilkan)</source>
        <translation>just changed by someone else (the change is shown now)</translation>
    </message>
    <message>
        <source>statusnya tidak memungkinkan</source>
        <translation>its status does not allow it</translation>
    </message>
    <message>
        <source>batas waktu pembatalan sudah lewat</source>
        <translation>the undo time has passed</translation>
    </message>
    <message>
        <source>sudah terkirim ke server</source>
        <translation>already sent to the server</translation>
    </message>
    <message>
        <source>gagal</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>Tidak dapat dibatalkan</source>
        <translation>Could not undo</translation>
    </message>
    <message>
        <source>Tidak diproses</source>
        <translation>Not processed</translation>
    </message>
</context>
<context>
    <name>AlertCenter</name>
    <message numerus="yes">
        <source>Laporan P1 baru: %n</source>
        <extracomment>(kind &quot;p1&quot; | &quot;sla&quot;, report ids) whenever an alert is raised</extracomment>
        <translation>
            <numerusform>New P1 report: %n</numerusform>
            <numerusform>New P1 reports: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Lihat (F8)</source>
        <translation>Show (F8)</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan P1/P2 melewati batas SLA</source>
        <translation>
            <numerusform>%n P1/P2 report passed its SLA deadline</numerusform>
            <numerusform>%n P1/P2 reports passed their SLA deadline</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckCombo</name>
    <message numerus="yes">
        <source>%n dipilih</source>
        <translation>
            <numerusform>%n selected</numerusform>
            <numerusform>%n selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClaimBoard</name>
    <message>
        <source>Ditangani oleh {name} sejak {time}</source>
        <extracomment>How often a claim that ran out is taken off the screen. The report ids whose claim (as shown) changed.</extracomment>
        <translation>Handled by {name} since {time}</translation>
    </message>
    <message>
        <source>Laporan ini sedang ditangani oleh {name} sejak {time}. Tetap lanjutkan?</source>
        <translation>This report is being handled by {name} since {time}. Continue anyway?</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan terpilih sedang ditangani petugas lain (mis. {ticket} oleh {name} sejak {time}). Tetap lanjutkan?</source>
        <translation>
            <numerusform>%n selected report is being handled by another officer (e.g. {ticket} by {name} since {time}). Continue anyway?</numerusform>
            <numerusform>%n selected reports are being handled by other officers (e.g. {ticket} by {name} since {time}). Continue anyway?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Tindakan ini tidak dapat dibatalkan.</source>
        <translation>This cannot be undone.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Konflik suntingan</source>
        <translation>Edit conflicts</translation>
    </message>
    <message>
        <source>Laporan</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Kolom</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Nilai server</source>
        <translation>Server value</translation>
    </message>
    <message>
        <source>Nilai suntingan</source>
        <translation>Your edit</translation>
    </message>
    <message>
        <source>Pilih</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>Semua nilai &amp;server</source>
        <translation>All &amp;server values</translation>
    </message>
    <message>
        <source>Semua nilai &amp;suntingan</source>
        <translation>All &amp;edited values</translation>
    </message>
    <message>
        <source>Simpan &amp;keputusan</source>
        <translation>Save &amp;decisions</translation>
    </message>
    <message>
        <source>Kolom ini diubah di dua tempat sekaligus. Tidak ada yang ditimpa: pilih nilai yang berlaku; keputusan dicatat di riwayat laporan.</source>
        <translation>These fields were changed in two places at once. Nothing was overwritten: choose the value that applies; the decision is kept in the report history.</translation>
    </message>
    <message>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <source>suntingan</source>
        <translation>edit</translation>
    </message>
    <message>
        <source>Tidak ada konflik terbuka.</source>
        <translation>No open conflicts.</translation>
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
        <source>Ringkasan</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Waktu</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Oleh</source>
        <translation>By</translation>
    </message>
    <message>
        <source>Peristiwa</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Waktu (WIB)</source>
        <translation>Time (WIB)</translation>
    </message>
    <message>
        <source>Linimasa</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Expected</translation>
    </message>
    <message>
        <source>Diterima</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Disposisi</source>
        <translation>Dispatches</translation>
    </message>
    <message>
        <source>Lampiran</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>Skor</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Jarak</source>
        <translation>Distance</translation>
    </message>
    <message>
        <source>Selisih</source>
        <translation>Apart</translation>
    </message>
    <message>
        <source>Judul</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Laporan di sekitar lokasi dan waktu yang sama. Enter membuka, G menggabungkan.</source>
        <translation>Reports near the same place and time. Enter opens, G merges.</translation>
    </message>
    <message>
        <source>&amp;Buka</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>&amp;Gabungkan…</source>
        <translation>&amp;Merge…</translation>
    </message>
    <message>
        <source>Mirip</source>
        <translation>Similar</translation>
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
        <source>Laporan ini baru saja diubah oleh petugas lain atau sinkronisasi; yang tampil sekarang adalah versi terbaru.</source>
        <translation>This report was just changed by another operator or by sync; what you see now is the latest version.</translation>
    </message>
    <message>
        <source>Duplikat dari {ticket} — buka laporan asli</source>
        <translation>Duplicate of {ticket} — open the original</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan digabung ke sini sebagai duplikat</source>
        <translation>
            <numerusform>%n report merged into this one as a duplicate</numerusform>
            <numerusform>%n reports merged into this one as duplicates</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} · {phone} (disamarkan)</source>
        <translation>{name} · {phone} (masked)</translation>
    </message>
    <message>
        <source>Triase</source>
        <translation>Triage</translation>
    </message>
    <message>
        <source>Laporan dibuat</source>
        <translation>Report created</translation>
    </message>
    <message>
        <source>Status: {old} → {new}</source>
        <translation>Status: {old} → {new}</translation>
    </message>
    <message>
        <source>triase {kind}</source>
        <translation>triage {kind}</translation>
    </message>
    <message>
        <source>Catatan: {body}</source>
        <translation>Note: {body}</translation>
    </message>
    <message>
        <source>Disposisi ke {agency}</source>
        <translation>Dispatched to {agency}</translation>
    </message>
    <message>
        <source>Laporan {ticket} digabung ke sini sebagai duplikat</source>
        <translation>Report {ticket} merged into this one as a duplicate</translation>
    </message>
    <message>
        <source>Ditandai duplikat dari {ticket}</source>
        <translation>Marked as a duplicate of {ticket}</translation>
    </message>
    <message>
        <source>Data pelapor diekspor tanpa disamarkan</source>
        <translation>Reporter data exported unmasked</translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>(pembatalan {action})</source>
        <translation>(undo of {action})</translation>
    </message>
    <message>
        <source>Linimasa ({n})</source>
        <translation>Timeline ({n})</translation>
    </message>
    <message>
        <source>belum</source>
        <translation>not yet</translation>
    </message>
    <message>
        <source>Disposisi ({n})</source>
        <translation>Dispatches ({n})</translation>
    </message>
    <message>
        <source>Lampiran ({n})</source>
        <translation>Attachments ({n})</translation>
    </message>
    <message>
        <source>Mirip ({n})</source>
        <translation>Similar ({n})</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Disposisi</source>
        <translation>Dispatch</translation>
    </message>
    <message numerus="yes">
        <source>%n laporan</source>
        <translation>
            <numerusform>%n report</numerusform>
            <numerusform>%n reports</numerusform>
        </translation>
    </message>
    <message>
        <source>Disposisikan {what} ke instansi:</source>
        <translation>Dispatch {what} to:</translation>
    </message>
    <message>
        <source>Ketik untuk mencari instansi…</source>
        <translation>Type to find an agency…</translation>
    </message>
    <message>
        <source>Cari instansi</source>
        <translation>Find agency</translation>
    </message>
    <message>
        <source>Instansi tujuan</source>
        <translation>Agencies</translation>
    </message>
    <message>
        <source>Pesan untuk instansi (opsional)</source>
        <translation>Message for the agency (optional)</translation>
    </message>
    <message>
        <source>Tanpa target waktu</source>
        <translation>No expected time</translation>
    </message>
    <message>
        <source>15 menit</source>
        <translation>15 minutes</translation>
    </message>
    <message>
        <source>30 menit</source>
        <translation>30 minutes</translation>
    </message>
    <message>
        <source>1 jam</source>
        <translation>1 hour</translation>
    </message>
    <message>
        <source>2 jam</source>
        <translation>2 hours</translation>
    </message>
    <message>
        <source>4 jam</source>
        <translation>4 hours</translation>
    </message>
    <message>
        <source>1 hari</source>
        <translation>1 day</translation>
    </message>
    <message>
        <source>3 hari</source>
        <translation>3 days</translation>
    </message>
    <message>
        <source>Waktu tertentu…</source>
        <translation>A given time…</translation>
    </message>
    <message>
        <source>&amp;Catatan</source>
        <translation>&amp;Note</translation>
    </message>
    <message>
        <source>&amp;Target selesai</source>
        <translation>&amp;Expected by</translation>
    </message>
    <message>
        <source>&amp;Disposisikan</source>
        <translation>&amp;Dispatch</translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Pilih minimal satu instansi (Spasi untuk mencentang).</source>
        <translation>Choose at least one agency (Space ticks it).</translation>
    </message>
    <message>
        <source>Target waktu harus di masa depan.</source>
        <translation>The expected time must be in the future.</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Belum ada laporan di basis data ini</source>
        <translation>No reports in this database yet</translation>
    </message>
    <message>
        <source>Masuk ke server pusat (Ctrl+L) untuk mengambil laporan wilayah Anda; setelah itu konsol tetap bekerja tanpa jaringan.

Ingin mencoba dulu? Jalankan “posko demo” di terminal: konsol terbuka pada folder data contoh tersendiri dengan ribuan laporan realistis, termasuk panggilan 112 yang menunggu triase (tombol 1–4).</source>
        <translation>Log in to the central server (Ctrl+L) to fetch your region&apos;s reports; after that the console keeps working without a network.

Want to try it first? Run “posko demo” in a terminal: the console opens on a separate demo data folder with thousands of realistic reports, including 112 calls waiting for triage (keys 1–4).</translation>
    </message>
    <message>
        <source>Masuk ke server pusat… (Ctrl+L)</source>
        <translation>Log in to the central server… (Ctrl+L)</translation>
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
    <name>FiltersPanel</name>
    <message>
        <source>Hanya prioritas {p} (boleh lebih dari satu)</source>
        <translation>Only priority {p} (more than one allowed)</translation>
    </message>
    <message>
        <source>Semua kategori</source>
        <translation>All categories</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Wilayah</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Semua wilayah</source>
        <translation>All regions</translation>
    </message>
    <message>
        <source>Semua kanal</source>
        <translation>All channels</translation>
    </message>
    <message>
        <source>Kanal</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Waktu masuk</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Semua waktu</source>
        <translation>Any time</translation>
    </message>
    <message>
        <source>Hari ini</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>24 jam terakhir</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <source>7 hari terakhir</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>30 hari terakhir</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>Rentang tanggal…</source>
        <translation>Date range…</translation>
    </message>
    <message>
        <source>&amp;Lewat SLA</source>
        <translation>&amp;Overdue</translation>
    </message>
    <message>
        <source>Ditugaskan ke &amp;saya</source>
        <translation>Assigned to &amp;me</translation>
    </message>
    <message>
        <source>Laporan yang didisposisikan ke instansi Anda</source>
        <translation>Reports dispatched to your agency</translation>
    </message>
    <message>
        <source>Instansi Anda belum diatur (Pengaturan operator)</source>
        <translation>Your agency is not set (operator settings)</translation>
    </message>
    <message>
        <source>Bersihkan</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Kec. {name}</source>
        <translation>{name} (kecamatan)</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>Laporan baru</source>
        <extracomment>(report id) after a report was saved the operator wants to pick the location on the map open an existing report (a duplicate candidate) in the main window</extracomment>
        <translation>New report</translation>
    </message>
    <message>
        <source>Telepon &amp;112</source>
        <translation>Phone &amp;112</translation>
    </message>
    <message>
        <source>Panggilan 112 (Alt+1)</source>
        <translation>A 112 call (Alt+1)</translation>
    </message>
    <message>
        <source>Jadikan kanal bawaan m&amp;eja ini</source>
        <translation>Make it this d&amp;esk&apos;s default channel</translation>
    </message>
    <message>
        <source>Laporan baru di meja ini akan dimulai dengan kanal ini (mis. meja 112)</source>
        <translation>New reports at this desk will start with this channel (e.g. a 112 desk)</translation>
    </message>
    <message>
        <source>— belum ditriase —</source>
        <translation>— not triaged —</translation>
    </message>
    <message>
        <source>Otomatis (dari kategori dan kanal)</source>
        <translation>Automatic (from category and channel)</translation>
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
        <source>Singkat: apa dan di mana</source>
        <translation>Short: what and where</translation>
    </message>
    <message>
        <source>lintang, bujur — mis. -6.914, 107.609</source>
        <translation>latitude, longitude — e.g. -6.914, 107.609</translation>
    </message>
    <message>
        <source>Pilih di &amp;peta</source>
        <translation>Pick on &amp;map</translation>
    </message>
    <message>
        <source>Klik lokasi di peta</source>
        <translation>Click the location on the map</translation>
    </message>
    <message>
        <source>Peta luring belum mendukung pemilihan lokasi</source>
        <translation>The offline map cannot pick a location yet</translation>
    </message>
    <message>
        <source>wajib diisi</source>
        <translation>required</translation>
    </message>
    <message>
        <source>&amp;Kanal</source>
        <translation>&amp;Channel</translation>
    </message>
    <message>
        <source>T&amp;riase 112</source>
        <translation>112 t&amp;riage</translation>
    </message>
    <message>
        <source>&amp;Nama pelapor</source>
        <translation>Reporter &amp;name</translation>
    </message>
    <message>
        <source>&amp;No. telepon</source>
        <translation>&amp;Phone number</translation>
    </message>
    <message>
        <source>Kate&amp;gori</source>
        <translation>Cate&amp;gory</translation>
    </message>
    <message>
        <source>Pr&amp;ioritas</source>
        <translation>Pr&amp;iority</translation>
    </message>
    <message>
        <source>&amp;Judul</source>
        <translation>&amp;Title</translation>
    </message>
    <message>
        <source>&amp;Uraian</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>Ke&amp;lurahan</source>
        <translation>Ke&amp;lurahan</translation>
    </message>
    <message>
        <source>&amp;Alamat</source>
        <translation>&amp;Address</translation>
    </message>
    <message>
        <source>K&amp;oordinat</source>
        <translation>C&amp;oordinates</translation>
    </message>
    <message>
        <source>Laporan mirip yang sudah ada:</source>
        <translation>Similar existing reports:</translation>
    </message>
    <message>
        <source>Skor</source>
        <translation>Score</translation>
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
        <source>Jarak</source>
        <translation>Distance</translation>
    </message>
    <message>
        <source>Judul</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>* wajib diisi</source>
        <translation>* required</translation>
    </message>
    <message>
        <source>&amp;Simpan</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Simpan sebagai &amp;duplikat</source>
        <translation>Save as &amp;duplicate</translation>
    </message>
    <message>
        <source>Catat panggilan ini dan gabungkan ke laporan mirip yang dipilih</source>
        <translation>Record this call and merge it into the selected similar report</translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Kelurahan diisi dari alamat: {name}</source>
        <translation>Kelurahan taken from the address: {name}</translation>
    </message>
    <message>
        <source>Koordinat tidak terbaca. Tulis lintang, bujur — mis. -6.914, 107.609.</source>
        <translation>Cannot read the coordinates. Write latitude, longitude — e.g. -6.914, 107.609.</translation>
    </message>
    <message>
        <source> Lintang dan bujur tertukar?</source>
        <translation> Latitude and longitude swapped?</translation>
    </message>
    <message>
        <source>Koordinat {lat}, {lon} tidak ada di bumi.{hint}</source>
        <translation>Coordinates {lat}, {lon} are not on Earth.{hint}</translation>
    </message>
    <message>
        <source>Koordinat {lat:.5f}, {lon:.5f} berada di luar {city}. Periksa lokasinya; laporan tidak disimpan dengan koordinat ini.</source>
        <translation>Coordinates {lat:.5f}, {lon:.5f} are outside {city}. Check the location; the report is not saved with these coordinates.</translation>
    </message>
    <message>
        <source>Koordinat {lat:.5f}, {lon:.5f} berada di luar wilayah kota yang dilayani ({cities}). Periksa lokasinya.</source>
        <translation>Coordinates {lat:.5f}, {lon:.5f} are outside the cities served ({cities}). Check the location.</translation>
    </message>
    <message numerus="yes">
        <source>Laporan mirip yang sudah ada (%n):</source>
        <translation>
            <numerusform>Similar existing report (%n):</numerusform>
            <numerusform>Similar existing reports (%n):</numerusform>
        </translation>
    </message>
    <message>
        <source>Buang laporan ini?</source>
        <translation>Discard this report?</translation>
    </message>
    <message>
        <source>Isian laporan ini belum disimpan. Buang isiannya?</source>
        <translation>This report has not been saved. Discard what was entered?</translation>
    </message>
    <message>
        <source>&amp;Buang</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <source>&amp;Lanjutkan mengisi</source>
        <translation>&amp;Keep editing</translation>
    </message>
    <message>
        <source>Pilih kategori dari daftar.</source>
        <translation>Choose a category from the list.</translation>
    </message>
    <message>
        <source>Judul wajib diisi.</source>
        <translation>A title is required.</translation>
    </message>
    <message>
        <source>Kelurahan “{name}” tidak ada di daftar.</source>
        <translation>Kelurahan “{name}” is not in the list.</translation>
    </message>
    <message>
        <source>Pilih laporan mirip yang dimaksud di daftar.</source>
        <translation>Select the similar report you mean in the list.</translation>
    </message>
    <message>
        <source>Laporan {ticket} dicatat dan digabung ke {original}.</source>
        <translation>Report {ticket} recorded and merged into {original}.</translation>
    </message>
    <message>
        <source>Laporan {ticket} dicatat.</source>
        <translation>Report {ticket} recorded.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Masuk ke server pusat</source>
        <translation>Log in to the central server</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Nama pengguna</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <source>&amp;Kata sandi</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>&amp;Masuk</source>
        <translation>&amp;Log in</translation>
    </message>
    <message>
        <source>Token login disimpan di brankas kata sandi sistem operasi; kata sandi tidak pernah disimpan.</source>
        <translation>The login token is kept in the operating system&apos;s password store; the password is never stored.</translation>
    </message>
    <message>
        <source>Alamat server harus diawali https://</source>
        <translation>The server address must start with https://</translation>
    </message>
    <message>
        <source>Isi nama pengguna dan kata sandi</source>
        <translation>Enter the user name and password</translation>
    </message>
    <message>
        <source>Menghubungi server…</source>
        <translation>Contacting the server…</translation>
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
        <source>&amp;Ekspor laporan shift…</source>
        <translation>&amp;Export shift report…</translation>
    </message>
    <message>
        <source>&amp;Shift dan serah terima…</source>
        <translation>&amp;Shift and handover…</translation>
    </message>
    <message>
        <source>&amp;Keluar</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>T&amp;riase</source>
        <translation>T&amp;riage</translation>
    </message>
    <message>
        <source>T&amp;indakan</source>
        <translation>&amp;Actions</translation>
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
        <source>Ekspor perlu petugas yang bertugas: masuk dulu (Ctrl+L).</source>
        <translation>An export needs an officer on duty: log in first (Ctrl+L).</translation>
    </message>
    <message>
        <source>Belum masuk ke server pusat: Sinkronisasi → Masuk (Ctrl+L)</source>
        <translation>Not logged in to the central server: Sync → Log in (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Sinkronisasi</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>Sinkronkan &amp;sekarang</source>
        <translation>Sync &amp;now</translation>
    </message>
    <message>
        <source>&amp;Masuk ke server…</source>
        <translation>&amp;Log in to the server…</translation>
    </message>
    <message>
        <source>&amp;Keluar akun</source>
        <translation>Log &amp;out</translation>
    </message>
    <message>
        <source>Ganti &amp;petugas bertugas…</source>
        <translation>Change the officer on &amp;duty…</translation>
    </message>
    <message>
        <source>&amp;Konflik suntingan…</source>
        <translation>Edit &amp;conflicts…</translation>
    </message>
    <message>
        <source>Perubahan &amp;ditolak…</source>
        <translation>&amp;Rejected changes…</translation>
    </message>
    <message>
        <source>Belum ada petugas bertugas — hanya baca (Ctrl+L untuk masuk)</source>
        <translation>Nobody on duty — read-only (Ctrl+L to log in)</translation>
    </message>
    <message>
        <source> · data pribadi disamarkan</source>
        <translation> · personal data masked</translation>
    </message>
    <message>
        <source>Daftar kategori dan wilayah masih dimuat; coba lagi sebentar.</source>
        <translation>Categories and regions are still loading; try again in a moment.</translation>
    </message>
    <message>
        <source>&amp;Laporan</source>
        <translation>&amp;Reports</translation>
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
        <source>Shift dan serah terima — {name}</source>
        <translation>Shifts and handover — {name}</translation>
    </message>
    <message>
        <source>Shift dan serah terima (hanya baca: belum ada petugas bertugas)</source>
        <translation>Shifts and handover (read-only: nobody on duty)</translation>
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
        <extracomment>A report was clicked on the map: its id. Select it in the queue and detail. The drawn area changed: a console.map.data.Area, or None when cleared. A region boundary was clicked: its region code. start_pick() ended with a click: (latitude, longitude) for the intake form. start_pick() was cancelled (Esc). The page painted: (kind &quot;load&quot; | &quot;delta&quot;, generation or delta token, markers). The page is loaded and the bridge connected. The note above the map changed (empty when none).</extracomment>
        <translation>The offline map is not available in this version yet.
Report locations are listed in the Detail panel.</translation>
    </message>
    <message>
        <source>Warna:</source>
        <translation>Colour:</translation>
    </message>
    <message>
        <source>Warna penanda menurut</source>
        <translation>Colour markers by</translation>
    </message>
    <message>
        <source>Prioritas</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Tampilkan atau sembunyikan kategori</source>
        <translation>Show or hide categories</translation>
    </message>
    <message>
        <source>Peta panas</source>
        <translation>Heat map</translation>
    </message>
    <message>
        <source>Tampilkan kepadatan laporan sebagai peta panas</source>
        <translation>Show report density as a heat map</translation>
    </message>
    <message>
        <source>Jumlah per wilayah</source>
        <translation>Count per region</translation>
    </message>
    <message>
        <source>Warnai wilayah menurut jumlah laporan (perlu batas wilayah)</source>
        <translation>Colour regions by report count (needs region boundaries)</translation>
    </message>
    <message>
        <source>Lapisan</source>
        <translation>Layers</translation>
    </message>
    <message>
        <source>Peta panas dan jumlah laporan per wilayah</source>
        <translation>Heat map and report counts per region</translation>
    </message>
    <message>
        <source>Gambar persegi</source>
        <translation>Draw rectangle</translation>
    </message>
    <message>
        <source>Gambar persegi di peta untuk menyaring antrean</source>
        <translation>Draw a rectangle on the map to filter the queue</translation>
    </message>
    <message>
        <source>Gambar poligon</source>
        <translation>Draw polygon</translation>
    </message>
    <message>
        <source>Gambar poligon di peta untuk menyaring antrean</source>
        <translation>Draw a polygon on the map to filter the queue</translation>
    </message>
    <message>
        <source>Hapus area</source>
        <translation>Clear area</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>Saring antrean dengan area yang digambar di peta</source>
        <translation>Filter the queue by an area drawn on the map</translation>
    </message>
    <message>
        <source>Peta dasar</source>
        <translation>Base map</translation>
    </message>
    <message>
        <source>Buka berkas MBTiles…</source>
        <translation>Open MBTiles file…</translation>
    </message>
    <message>
        <source>Lepas berkas MBTiles</source>
        <translation>Close MBTiles file</translation>
    </message>
    <message>
        <source>Sumber peta daring…</source>
        <translation>Online map source…</translation>
    </message>
    <message>
        <source>Impor batas wilayah (GeoJSON)…</source>
        <translation>Import region boundaries (GeoJSON)…</translation>
    </message>
    <message>
        <source>Simpan gambar peta…</source>
        <translation>Save map image…</translation>
    </message>
    <message>
        <source>Tampilkan semua</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>Sembunyikan semua</source>
        <translation>Hide all</translation>
    </message>
    <message>
        <source>Kategori ({hidden} disembunyikan)</source>
        <translation>Categories ({hidden} hidden)</translation>
    </message>
    <message>
        <source>Peta luring tidak dapat dimulai: skema posko:// harus didaftarkan sebelum aplikasi dibuat (console.views.map_scheme.register_scheme).</source>
        <translation>The offline map cannot start: the posko:// scheme must be registered before the application is created (console.views.map_scheme.register_scheme).</translation>
    </message>
    <message>
        <source>Peta dasar tidak dipakai: {reason}</source>
        <translation>Base map not used: {reason}</translation>
    </message>
    <message>
        <source>berkas {name} tidak ditemukan.</source>
        <translation>file {name} not found.</translation>
    </message>
    <message>
        <source>berkas {name} bukan berkas MBTiles (bukan basis data SQLite).</source>
        <translation>file {name} is not an MBTiles file (not an SQLite database).</translation>
    </message>
    <message>
        <source>berkas {name} tidak berisi tabel MBTiles (metadata dan tiles).</source>
        <translation>file {name} has no MBTiles tables (metadata and tiles).</translation>
    </message>
    <message>
        <source>berkas {name} berisi ubin vektor; Posko hanya menampilkan ubin gambar (PNG, JPEG, WebP).</source>
        <translation>file {name} holds vector tiles; Posko shows raster tiles only (PNG, JPEG, WebP).</translation>
    </message>
    <message>
        <source>ubin dalam berkas {name} bukan gambar PNG, JPEG atau WebP.</source>
        <translation>the tiles in {name} are not PNG, JPEG or WebP images.</translation>
    </message>
    <message>
        <source>berkas {name} tidak berisi ubin.</source>
        <translation>file {name} holds no tiles.</translation>
    </message>
    <message>
        <source>cache ubin {name} tidak dapat ditulis; ubin daring tidak disimpan.</source>
        <translation>tile cache {name} cannot be written; online tiles are not kept.</translation>
    </message>
    <message>
        <source>Sumber peta daring tidak terjangkau; memakai ubin yang tersimpan.</source>
        <translation>The online map source cannot be reached; using stored tiles.</translation>
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
        <source>Dibuat</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Laporan di titik ini: {n}</source>
        <translation>Reports at this point: {n}</translation>
    </message>
    <message>
        <source>Laporan: {n} · klik untuk memperbesar</source>
        <translation>Reports: {n} · click to zoom in</translation>
    </message>
    <message>
        <source>… dan {n} lainnya</source>
        <translation>… and {n} more</translation>
    </message>
    <message>
        <source>Laporan: {n}</source>
        <translation>Reports: {n}</translation>
    </message>
    <message>
        <source>Laporan per wilayah</source>
        <translation>Reports per region</translation>
    </message>
    <message>
        <source>Klik untuk membuka atau melipat legenda</source>
        <translation>Click to open or fold the legend</translation>
    </message>
    <message>
        <source>Kepadatan laporan</source>
        <translation>Report density</translation>
    </message>
    <message>
        <source>jarang → padat</source>
        <translation>sparse → dense</translation>
    </message>
    <message>
        <source>Seret untuk menggambar persegi · Esc untuk batal</source>
        <translation>Drag to draw a rectangle · Esc to cancel</translation>
    </message>
    <message>
        <source>Klik lokasi laporan di peta · Esc untuk batal</source>
        <translation>Click the report location on the map · Esc to cancel</translation>
    </message>
    <message>
        <source>Klik untuk menambah titik, klik dua kali untuk selesai · Esc untuk batal</source>
        <translation>Click to add a point, double-click to finish · Esc to cancel</translation>
    </message>
    <message>
        <source>Peta gagal dimuat.</source>
        <translation>The map failed to load.</translation>
    </message>
    <message>
        <source>Data peta tidak dapat dibaca: {error}</source>
        <translation>Map data cannot be read: {error}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln laporan di peta</source>
        <translation>
            <numerusform>%Ln report on the map</numerusform>
            <numerusform>%Ln reports on the map</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tanpa koordinat</source>
        <translation>
            <numerusform>%Ln without coordinates</numerusform>
            <numerusform>%Ln without coordinates</numerusform>
        </translation>
    </message>
    <message>
        <source>Laporan tanpa koordinat tidak tampil di peta; lihat antrean.</source>
        <translation>Reports without coordinates are not on the map; see the queue.</translation>
    </message>
    <message>
        <source>Tanpa peta dasar: buka berkas MBTiles atau impor batas wilayah (menu Peta dasar).</source>
        <translation>No base map: open an MBTiles file or import region boundaries (Base map menu).</translation>
    </message>
    <message>
        <source>Batas kelurahan {name} belum diimpor dan belum ada laporan berkoordinat di sana: peta menunjukkan perkiraan ({where}).</source>
        <translation>The boundary of kelurahan {name} is not imported and no report there has coordinates yet: the map shows an approximation ({where}).</translation>
    </message>
    <message>
        <source>kecamatannya</source>
        <translation>its kecamatan</translation>
    </message>
    <message>
        <source>pusat kota</source>
        <translation>the city centre</translation>
    </message>
    <message>
        <source>Belum ada batas wilayah: impor berkas GeoJSON lewat menu Peta dasar.</source>
        <translation>No region boundaries yet: import a GeoJSON file from the Base map menu.</translation>
    </message>
    <message>
        <source>Area tidak sah; gambar ulang dengan sedikitnya tiga titik.</source>
        <translation>Invalid area; draw it again with at least three points.</translation>
    </message>
    <message>
        <source>Area (aktif)</source>
        <translation>Area (active)</translation>
    </message>
    <message>
        <source>Buka berkas MBTiles</source>
        <translation>Open MBTiles file</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;Semua berkas (*)</source>
        <translation>MBTiles (*.mbtiles);;All files (*)</translation>
    </message>
    <message>
        <source>Impor batas wilayah</source>
        <translation>Import region boundaries</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json);;Semua berkas (*)</source>
        <translation>GeoJSON (*.geojson *.json);;All files (*)</translation>
    </message>
    <message>
        <source>berkas bukan JSON yang sah.</source>
        <translation>the file is not valid JSON.</translation>
    </message>
    <message>
        <source>berkas bukan GeoJSON FeatureCollection.</source>
        <translation>the file is not a GeoJSON FeatureCollection.</translation>
    </message>
    <message>
        <source>berkas terlalu besar.</source>
        <translation>the file is too large.</translation>
    </message>
    <message>
        <source>berkas tidak dapat dibaca ({error}).</source>
        <translation>the file cannot be read ({error}).</translation>
    </message>
    <message>
        <source>Batas wilayah tidak diimpor: {reason}</source>
        <translation>Region boundaries not imported: {reason}</translation>
    </message>
    <message>
        <source>{ok} dari {total} batas wilayah diimpor.</source>
        <translation>{ok} of {total} region boundaries imported.</translation>
    </message>
    <message>
        <source>tanpa geometri</source>
        <translation>no geometry</translation>
    </message>
    <message>
        <source>jenis geometri tidak didukung (hanya Polygon dan MultiPolygon)</source>
        <translation>unsupported geometry type (only Polygon and MultiPolygon)</translation>
    </message>
    <message>
        <source>koordinat tidak sah</source>
        <translation>invalid coordinates</translation>
    </message>
    <message>
        <source>koordinat di luar jangkauan</source>
        <translation>coordinates out of range</translation>
    </message>
    <message>
        <source>lintang dan bujur tertukar?</source>
        <translation>latitude and longitude swapped?</translation>
    </message>
    <message>
        <source>poligon kurang dari tiga titik</source>
        <translation>polygon with fewer than three points</translation>
    </message>
    <message>
        <source>garis batas berpotongan sendiri</source>
        <translation>the boundary crosses itself</translation>
    </message>
    <message>
        <source>luas poligon nol</source>
        <translation>polygon has zero area</translation>
    </message>
    <message>
        <source>terlalu banyak titik</source>
        <translation>too many points</translation>
    </message>
    <message>
        <source>wilayah tidak dikenal</source>
        <translation>unknown region</translation>
    </message>
    <message>
        <source>nama wilayah ganda; tambahkan nama kecamatan atau kode</source>
        <translation>ambiguous region name; add the kecamatan name or the code</translation>
    </message>
    <message>
        <source>bukan Feature GeoJSON</source>
        <translation>not a GeoJSON Feature</translation>
    </message>
    <message>
        <source>wilayah ini sudah ada di berkas</source>
        <translation>this region is already in the file</translation>
    </message>
    <message numerus="yes">
        <source>%n fitur dilewati; lihat rinciannya.</source>
        <translation>
            <numerusform>%n feature skipped; see the details.</numerusform>
            <numerusform>%n features skipped; see the details.</numerusform>
        </translation>
    </message>
    <message>
        <source>Fitur {index} ({label}): {reason}</source>
        <translation>Feature {index} ({label}): {reason}</translation>
    </message>
    <message>
        <source>Simpan gambar peta</source>
        <translation>Save map image</translation>
    </message>
    <message>
        <source>Gambar PNG (*.png)</source>
        <translation>PNG image (*.png)</translation>
    </message>
    <message>
        <source>Gambar peta tidak dapat disimpan: {error}</source>
        <translation>The map image cannot be saved: {error}</translation>
    </message>
</context>
<context>
    <name>MapSelection</name>
    <message>
        <source>Laporan terpilih tidak tampil di peta: kategorinya disembunyikan (menu Kategori).</source>
        <translation>The selected report is not on the map: its category is hidden (Categories menu).</translation>
    </message>
    <message>
        <source>Laporan terpilih tidak tampil di peta: belum ada koordinatnya.</source>
        <translation>The selected report is not on the map: it has no coordinates yet.</translation>
    </message>
    <message>
        <source>Laporan terpilih tidak tampil di peta: tersaring oleh saringan antrean.</source>
        <translation>The selected report is not on the map: the queue filter leaves it out.</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Laporan duplikat ditutup dengan status “Duplikat” dan linimasanya digabung ke laporan asli. Keduanya tetap bisa dibuka.</source>
        <translation>The duplicate is closed with status “Duplicate” and its timeline joins the original’s. Both can still be opened.</translation>
    </message>
    <message>
        <source>Laporan asli (tetap berjalan)</source>
        <translation>Original (stays open)</translation>
    </message>
    <message>
        <source>Duplikat (ditutup)</source>
        <translation>Duplicate (closed)</translation>
    </message>
    <message>
        <source>&amp;Tukar</source>
        <translation>S&amp;wap</translation>
    </message>
    <message>
        <source>Catatan (opsional)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>Penggabungan tidak dapat dibatalkan.</source>
        <translation>A merge cannot be undone.</translation>
    </message>
    <message>
        <source>&amp;Gabungkan</source>
        <translation>&amp;Merge</translation>
    </message>
    <message>
        <source>Gabungkan {duplicate} ke {original}</source>
        <translation>Merge {duplicate} into {original}</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Tutup pesan</source>
        <translation>Close message</translation>
    </message>
</context>
<context>
    <name>OnDutyDialog</name>
    <message>
        <source>Siapa yang bertugas?</source>
        <translation>Who is on duty?</translation>
    </message>
    <message>
        <source>Kata sandi akun terpilih</source>
        <translation>Password of the chosen account</translation>
    </message>
    <message>
        <source>&amp;Bertugas</source>
        <translation>Go on &amp;duty</translation>
    </message>
    <message>
        <source>&amp;Masuk ke server… (Ctrl+L)</source>
        <translation>&amp;Log in to the server… (Ctrl+L)</translation>
    </message>
    <message>
        <source>&amp;Nanti (hanya baca)</source>
        <translation>&amp;Later (read-only)</translation>
    </message>
    <message>
        <source>Pilih akun yang bertugas di konsol ini dan ketik kata sandinya. Daftar ini berisi akun yang pernah masuk di folder data ini; sampai ada yang bertugas, konsol hanya dapat dibaca.</source>
        <translation>Choose the account on duty at this console and type its password. The list holds the accounts that have logged in on this data folder; until someone is on duty the console is read-only.</translation>
    </message>
    <message>
        <source>Belum ada akun yang pernah masuk di folder data ini. Masuk ke server pusat dulu (Ctrl+L); sampai itu konsol hanya dapat dibaca.</source>
        <translation>No account has logged in on this data folder yet. Log in to the central server first (Ctrl+L); until then the console is read-only.</translation>
    </message>
    <message>
        <source>seluruh kota</source>
        <translation>whole city</translation>
    </message>
    <message>
        <source>{name} ({role}) — wilayah: {regions} — terakhir masuk {when} WIB</source>
        <translation>{name} ({role}) — regions: {regions} — last login {when} WIB</translation>
    </message>
    <message>
        <source>Pilih akun yang bertugas</source>
        <translation>Choose the account on duty</translation>
    </message>
    <message>
        <source>Ketik kata sandi akun {user}</source>
        <translation>Type the password of {user}</translation>
    </message>
    <message>
        <source>Memeriksa kata sandi…</source>
        <translation>Checking the password…</translation>
    </message>
    <message>
        <source>Kata sandi salah untuk {user}. Kata sandi yang berlaku adalah yang dipakai saat terakhir masuk ke server di konsol ini.</source>
        <translation>Wrong password for {user}. The password that counts is the one used at the last server login on this console.</translation>
    </message>
</context>
<context>
    <name>OpRunner</name>
    <message>
        <source>Laporan ini baru saja diubah oleh petugas lain atau sinkronisasi. Perubahannya sekarang ditampilkan; periksa lalu ulangi tindakan Anda bila masih perlu.</source>
        <extracomment>An :class:`OpChanges`, always delivered on the GUI thread.</extracomment>
        <translation>This report was just changed by another operator or by sync. The change is shown now; check it, then repeat your action if it is still needed.</translation>
    </message>
    <message>
        <source>Tindakan “{action}” tidak dapat dilakukan pada laporan berstatus “{status}”.</source>
        <translation>“{action}” cannot be done to a report that is “{status}”.</translation>
    </message>
    <message>
        <source>Tindakan gagal karena kesalahan tak terduga: {error}</source>
        <extracomment>(OpChanges or None, result) after an operation succeeded and was broadcast. (message for the operator, exception) when an operation was refused or failed.</extracomment>
        <translation>The action failed with an unexpected error: {error}</translation>
    </message>
</context>
<context>
    <name>QuarantineDialog</name>
    <message>
        <source>Perubahan yang ditolak server</source>
        <translation>Changes the server rejected</translation>
    </message>
    <message>
        <source>Jenis</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Laporan</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Isi</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>Alasan penolakan</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Kirim &amp;ulang</source>
        <translation>&amp;Resend</translation>
    </message>
    <message>
        <source>&amp;Buang</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <source>Perubahan ini ditolak server dan tidak dikirim ulang otomatis. Perubahan lain tetap terkirim.</source>
        <translation>The server rejected these changes; they are not resent automatically. Other changes still go out.</translation>
    </message>
    <message>
        <source>Laporan baru</source>
        <translation>New report</translation>
    </message>
    <message>
        <source>Perubahan laporan</source>
        <translation>Report change</translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Disposisi</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>Lampiran</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <source>(laporan tidak dikenal)</source>
        <translation>(unknown report)</translation>
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
        <source>Judul</source>
        <translation>Title</translation>
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
        <translation>Sync</translation>
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
        <source>Apakah perubahan di komputer ini sudah diterima server pusat</source>
        <translation>Whether changes made on this computer have reached the central server</translation>
    </message>
    <message>
        <source>⚠ ditolak</source>
        <extracomment>A report&apos;s sync state -&gt; (the sync column&apos;s text, its tooltip); any other: synced.</extracomment>
        <translation>⚠ rejected</translation>
    </message>
    <message>
        <source>⇄ konflik</source>
        <translation>⇄ conflict</translation>
    </message>
    <message>
        <source>↑ tertunda</source>
        <translation>↑ pending</translation>
    </message>
    <message>
        <source>Laporan yang sedang dibuka; di luar saringan ini, jadi disematkan di atas.</source>
        <extracomment>The ClaimBoard (views/claim_board.py): a report another desk handles gets a mark.</extracomment>
        <translation>The report you have open; it is outside this filter, so it is pinned at the top.</translation>
    </message>
    <message>
        <source>Laporan ini tidak lagi cocok dengan saringan; barisnya hilang sebentar lagi atau saat dimuat ulang (F5).</source>
        <translation>This report no longer matches the filter; its row goes away shortly or on reload (F5).</translation>
    </message>
    <message>
        <source>Laporan P1 baru — tekan A untuk menandai sudah dilihat</source>
        <translation>New P1 report — press A to mark it as seen</translation>
    </message>
    <message>
        <source>Masuk: {when}</source>
        <translation>Received: {when}</translation>
    </message>
    <message>
        <source>Server menolak perubahan laporan ini; lihat status sinkronisasi</source>
        <translation>The server rejected a change to this report; see the sync status</translation>
    </message>
    <message>
        <source>Suntingan bentrok dengan perubahan lain; putuskan di dialog konflik</source>
        <translation>An edit clashed with another change; decide in the conflicts dialog</translation>
    </message>
    <message>
        <source>Perubahan tersimpan di komputer ini, belum diterima server</source>
        <translation>Changes are saved on this computer, not yet on the server</translation>
    </message>
    <message>
        <source>Belum pernah diterima server pusat (hanya di komputer ini)</source>
        <translation>Never received by the central server (only on this computer)</translation>
    </message>
    <message>
        <source>Sudah sinkron dengan server</source>
        <translation>In sync with the server</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Cari tiket, judul, alamat… (Ctrl+F)</source>
        <extracomment>Rows that left the filter stay (greyed) this long: past the undo window. A single-key action was pressed but is not available (the key, as a sequence) The viewport finished a paint (benchmarks: &quot;until the rows are on screen&quot;).</extracomment>
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
        <source>Saringan lain (Ctrl+Shift+F)</source>
        <translation>More filters (Ctrl+Shift+F)</translation>
    </message>
    <message>
        <source>Tampilan tersimpan</source>
        <translation>Saved views</translation>
    </message>
    <message>
        <source>Tampilan tersimpan (Ctrl+Shift+L); simpan dengan Ctrl+Shift+S</source>
        <translation>Saved views (Ctrl+Shift+L); save with Ctrl+Shift+S</translation>
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
        <source>Saringan ({n})</source>
        <translation>Filters ({n})</translation>
    </message>
    <message>
        <source>Saringan</source>
        <translation>Filters</translation>
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
        <source>Tampilan…</source>
        <translation>Views…</translation>
    </message>
    <message>
        <source>Simpan tampilan</source>
        <translation>Save view</translation>
    </message>
    <message>
        <source>Nama tampilan ini:</source>
        <translation>Name of this view:</translation>
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
        <translation>This cannot be undone.</translation>
    </message>
    <message>
        <source>Isi alasannya dulu.</source>
        <translation>Give the reason first.</translation>
    </message>
    <message>
        <source>Terlalu panjang (paling banyak {n} karakter).</source>
        <translation>Too long (at most {n} characters).</translation>
    </message>
</context>
<context>
    <name>SavedViews</name>
    <message>
        <source>Antrean terbuka</source>
        <extracomment>(id, Indonesian name marker, view spec). Names are translated in SavedViews.</extracomment>
        <translation>Open queue</translation>
    </message>
    <message>
        <source>112 belum ditriase</source>
        <translation>112 calls to triage</translation>
    </message>
    <message>
        <source>P1/P2 terbuka</source>
        <translation>Open P1/P2</translation>
    </message>
    <message>
        <source>Lewat SLA</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Disposisi berjalan</source>
        <translation>Dispatched, in progress</translation>
    </message>
</context>
<context>
    <name>SensorSparkline</name>
    <message>
        <source>Sensor {id} · 24 jam terakhir · kini {value} ({state})</source>
        <extracomment>The gauge drawn (console.store.sensors.SensorSeries), None when none.</extracomment>
        <translation>Sensor {id} · last 24 hours · now {value} ({state})</translation>
    </message>
    <message>
        <source>Grafik 24 jam sensor</source>
        <translation>Sensor&apos;s 24-hour chart</translation>
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
    <message>
        <source>Sahkan serah terima</source>
        <translation>Sign the handover</translation>
    </message>
    <message>
        <source>supervisor keluar</source>
        <translation>outgoing supervisor</translation>
    </message>
    <message>
        <source>supervisor masuk</source>
        <translation>incoming supervisor</translation>
    </message>
    <message>
        <source>Kata sandi {user} untuk mengesahkan sebagai {role}:</source>
        <translation>Password of {user} to sign as {role}:</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>di mana saja</source>
        <translation>anywhere</translation>
    </message>
    <message>
        <source>antrean / detail</source>
        <translation>queue / detail</translation>
    </message>
    <message>
        <source>Antrean dan dialog</source>
        <translation>Queue and dialogs</translation>
    </message>
    <message>
        <source>Pintasan keyboard</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Tombol satu huruf dan angka bekerja saat antrean atau panel detail aktif, tidak saat mengetik. Ketik di bawah untuk mencari.</source>
        <translation>Single letter and number keys work while the queue or the detail panel has the focus, not while typing. Type below to search.</translation>
    </message>
    <message>
        <source>Cari perintah atau tombol…</source>
        <translation>Find a command or key…</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menu</translation>
    </message>
    <message>
        <source>Perintah</source>
        <translation>Command</translation>
    </message>
    <message>
        <source>Tombol</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Berlaku di</source>
        <translation>Works in</translation>
    </message>
    <message>
        <source>&amp;Tutup</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>SlaBadge</name>
    <message>
        <source>SLA aman</source>
        <extracomment>Emergencies run on minute clocks (5 min to dispatch, 15 min for the fire crew to be on scene): a breach must surface within seconds, not half a minute. The poll is two index range counts, cheap at a million reports.</extracomment>
        <translation>SLA OK</translation>
    </message>
    <message numerus="yes">
        <source>⚠ %n lewat SLA</source>
        <translation>
            <numerusform>⚠ %n overdue</numerusform>
            <numerusform>⚠ %n overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n P1/P2)</source>
        <translation>
            <numerusform> (%n P1/P2)</numerusform>
            <numerusform> (%n P1/P2)</numerusform>
        </translation>
    </message>
    <message>
        <source>Laporan terbuka yang melewati batas SLA. Klik untuk melihatnya.</source>
        <translation>Open reports past their SLA deadline. Click to show them.</translation>
    </message>
</context>
<context>
    <name>SlaText</name>
    <message>
        <source>disposisi</source>
        <translation>dispatch</translation>
    </message>
    <message>
        <source>tiba di lokasi</source>
        <translation>on scene</translation>
    </message>
    <message>
        <source>verifikasi</source>
        <translation>verification</translation>
    </message>
    <message>
        <source>tindak lanjut</source>
        <translation>follow-up</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message numerus="yes">
        <source>%n menit sejak panggilan masuk</source>
        <translation>
            <numerusform>%n minute from the call</numerusform>
            <numerusform>%n minutes from the call</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n menit sejak disposisi</source>
        <translation>
            <numerusform>%n minute from dispatch</numerusform>
            <numerusform>%n minutes from dispatch</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n menit</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hari kerja</source>
        <translation>
            <numerusform>%n working day</numerusform>
            <numerusform>%n working days</numerusform>
        </translation>
    </message>
    <message>
        <source>Batas {stage}: {when}</source>
        <translation>{stage} due: {when}</translation>
    </message>
    <message>
        <source>{text} (target {target})</source>
        <translation>{text} (target {target})</translation>
    </message>
    <message>
        <source>lewat {t}</source>
        <translation>{t} late</translation>
    </message>
    <message>
        <source>sisa {t}</source>
        <translation>{t} left</translation>
    </message>
    <message>
        <source>SLA {stage}: {when}</source>
        <translation>SLA {stage}: {when}</translation>
    </message>
</context>
<context>
    <name>StorageBadge</name>
    <message>
        <source>⚠ Data tidak terenkripsi</source>
        <translation>⚠ Data not encrypted</translation>
    </message>
    <message>
        <source>keyring tidak dapat dipakai</source>
        <translation>the keyring cannot be used</translation>
    </message>
    <message>
        <source>Data warga di komputer ini disimpan tanpa enkripsi, karena keyring sistem operasi tidak tersedia. Minta admin TI mengaktifkan keyring (GNOME Keyring, KWallet, atau Windows Credential Manager), lalu buka ulang Posko: data akan dienkripsi otomatis.</source>
        <translation>Citizens&apos; data on this computer is stored unencrypted because the operating system&apos;s keyring is not available. Ask IT to enable a keyring (GNOME Keyring, KWallet or Windows Credential Manager), then reopen Posko: the data is encrypted automatically.</translation>
    </message>
    <message>
        <source>Rincian teknis: {why}</source>
        <translation>Technical details: {why}</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Belum masuk ke server pusat</source>
        <translation>Not logged in to the central server</translation>
    </message>
    <message>
        <source>Masuk ke server pusat dulu</source>
        <translation>Log in to the central server first</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Daring</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Tersendat</source>
        <translation>Degraded</translation>
    </message>
    <message>
        <source>Luring</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Perlu masuk</source>
        <translation>Login needed</translation>
    </message>
    <message numerus="yes">
        <source>%n tertunda</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ditolak</source>
        <translation>
            <numerusform>%n rejected</numerusform>
            <numerusform>%n rejected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n konflik</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message>
        <source>sinkron {when}</source>
        <translation>synced {when}</translation>
    </message>
    <message>
        <source>Waktu bolak-balik: {ms:.0f} ms</source>
        <translation>Round trip: {ms:.0f} ms</translation>
    </message>
    <message>
        <source>Coba lagi dalam {s:.0f} detik</source>
        <translation>Retrying in {s:.0f} s</translation>
    </message>
    <message>
        <source>Kursor {c} dari {h}</source>
        <translation>Cursor {c} of {h}</translation>
    </message>
</context>
<context>
    <name>_BulkRun</name>
    <message>
        <source>{label}: {n} laporan…</source>
        <translation>{label}: {n} reports…</translation>
    </message>
    <message>
        <source>&amp;Hentikan</source>
        <translation>&amp;Stop</translation>
    </message>
    <message>
        <source>Aksi massal</source>
        <translation>Bulk action</translation>
    </message>
</context>
<context>
    <name>_OnlineSourceDialog</name>
    <message>
        <source>Sumber peta daring</source>
        <translation>Online map source</translation>
    </message>
    <message>
        <source>Ambil ubin dari sumber daring bila ada jaringan</source>
        <translation>Fetch tiles from an online source when the network is up</translation>
    </message>
    <message>
        <source>Ubin yang diambil disimpan di komputer ini dan tetap tampil saat luring. Posko meminta paling banyak 4 ubin per detik. Pakai hanya sumber yang mengizinkan penggunaan ini, dan isi atribusinya.</source>
        <translation>Fetched tiles are kept on this computer and still show offline. Posko asks for at most 4 tiles per second. Use only sources that allow this use, and fill in their attribution.</translation>
    </message>
    <message>
        <source>Alamat ubin</source>
        <translation>Tile URL</translation>
    </message>
    <message>
        <source>Atribusi</source>
        <translation>Attribution</translation>
    </message>
    <message>
        <source>Alamat ubin tidak sah: harus diawali http:// atau https:// dan memuat {z}, {x} dan {y}.</source>
        <translation>Invalid tile URL: it must start with http:// or https:// and contain {z}, {x} and {y}.</translation>
    </message>
</context>
<context>
    <name>action_dialogs</name>
    <message numerus="yes">
        <source>+%n lainnya</source>
        <translation>
            <numerusform>+%n more</numerusform>
            <numerusform>+%n more</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Batal</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Ctrl+Enter: {action} · Esc: Batal</source>
        <translation>Ctrl+Enter: {action} · Esc: Cancel</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <source>Laporan &amp;baru (telepon/datang langsung)…</source>
        <translation>&amp;New report (phone/walk-in)…</translation>
    </message>
    <message>
        <source>Catat laporan dari telepon atau warga yang datang</source>
        <translation>Record a report from a phone call or a walk-in citizen</translation>
    </message>
    <message>
        <source>Triase 112: &amp;Darurat</source>
        <translation>112 triage: &amp;Emergency</translation>
    </message>
    <message>
        <source>Darurat: verifikasi dan jadikan P1</source>
        <translation>Emergency: verify and make it P1</translation>
    </message>
    <message>
        <source>Triase 112: &amp;Informasi (dijawab)</source>
        <translation>112 triage: &amp;Information (answered)</translation>
    </message>
    <message>
        <source>Permintaan informasi yang sudah dijawab di telepon</source>
        <translation>An information request answered on the phone</translation>
    </message>
    <message>
        <source>Triase 112: &amp;Iseng</source>
        <translation>112 triage: &amp;Prank</translation>
    </message>
    <message>
        <source>Panggilan iseng</source>
        <translation>Prank call</translation>
    </message>
    <message>
        <source>Triase 112: Panggilan &amp;kosong</source>
        <translation>112 triage: &amp;Ghost call</translation>
    </message>
    <message>
        <source>Panggilan tanpa suara atau terputus</source>
        <translation>Silent or dropped call</translation>
    </message>
    <message>
        <source>&amp;Verifikasi</source>
        <translation>&amp;Verify</translation>
    </message>
    <message>
        <source>&amp;Disposisi ke instansi…</source>
        <translation>&amp;Dispatch to agencies…</translation>
    </message>
    <message>
        <source>&amp;Mulai ditangani</source>
        <translation>&amp;Start work</translation>
    </message>
    <message>
        <source>&amp;Selesaikan</source>
        <translation>Re&amp;solve</translation>
    </message>
    <message>
        <source>T&amp;utup laporan…</source>
        <translation>Clos&amp;e report…</translation>
    </message>
    <message>
        <source>Buka &amp;kembali…</source>
        <translation>Re&amp;open…</translation>
    </message>
    <message>
        <source>&amp;Tolak…</source>
        <translation>&amp;Reject…</translation>
    </message>
    <message>
        <source>&amp;Bukan kewenangan…</source>
        <translation>&amp;Not our authority…</translation>
    </message>
    <message>
        <source>Tambah &amp;catatan…</source>
        <translation>Add &amp;note…</translation>
    </message>
    <message>
        <source>&amp;Gabungkan duplikat…</source>
        <translation>&amp;Merge duplicates…</translation>
    </message>
    <message>
        <source>Dua laporan terpilih, atau laporan ini dengan yang dipilih di tab Mirip</source>
        <translation>Two selected reports, or this report with the one picked on the Similar tab</translation>
    </message>
    <message>
        <source>Tandai peringatan sudah &amp;dilihat</source>
        <translation>&amp;Acknowledge alerts</translation>
    </message>
    <message>
        <source>Ambil alih penanganan (&amp;klaim)…</source>
        <translation>Take over &amp;handling (claim)…</translation>
    </message>
    <message>
        <source>Tandai bahwa meja ini yang menangani laporan; meja lain melihatnya</source>
        <translation>Mark this desk as the one handling the report; other desks see it</translation>
    </message>
    <message>
        <source>Ke peringatan P1 &amp;berikutnya</source>
        <translation>Ne&amp;xt P1 alert</translation>
    </message>
    <message>
        <source>&amp;Batalkan tindakan terakhir</source>
        <translation>&amp;Undo last action</translation>
    </message>
    <message>
        <source>&amp;Cari</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <source>&amp;Saringan…</source>
        <translation>&amp;Filters…</translation>
    </message>
    <message>
        <source>Pilih &amp;tampilan tersimpan</source>
        <translation>Choose saved &amp;view</translation>
    </message>
    <message>
        <source>Simpan tampilan &amp;ini…</source>
        <translation>Save this v&amp;iew…</translation>
    </message>
    <message>
        <source>&amp;Muat ulang</source>
        <translation>&amp;Reload</translation>
    </message>
    <message>
        <source>Fokus ke &amp;antrean</source>
        <translation>Focus the &amp;queue</translation>
    </message>
    <message>
        <source>Fokus ke d&amp;etail</source>
        <translation>Focus the d&amp;etail</translation>
    </message>
    <message>
        <source>Pindah baris di antrean</source>
        <extracomment>Extra keys the shortcuts dialog lists (not actions of their own).</extracomment>
        <translation>Move in the queue</translation>
    </message>
    <message>
        <source>↑ / ↓, PgUp / PgDn, Home / End</source>
        <translation>↑ / ↓, PgUp / PgDn, Home / End</translation>
    </message>
    <message>
        <source>Pilih beberapa laporan (aksi massal)</source>
        <translation>Select several reports (bulk actions)</translation>
    </message>
    <message>
        <source>Shift+↑/↓, Ctrl+Spasi, Ctrl+A</source>
        <translation>Shift+↑/↓, Ctrl+Space, Ctrl+A</translation>
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
        <source>Kembali dari kotak cari ke antrean</source>
        <translation>Back from the search box to the queue</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Pindah antarbagian</source>
        <translation>Move between parts</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Shift+Tab</translation>
    </message>
    <message>
        <source>Pindah tab di detail</source>
        <translation>Switch detail tabs</translation>
    </message>
    <message>
        <source>Ctrl+Tab</source>
        <translation>Ctrl+Tab</translation>
    </message>
    <message>
        <source>Konfirmasi dialog</source>
        <translation>Confirm a dialog</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Laporan baru: kanal Telepon 112</source>
        <translation>New report: the 112 channel</translation>
    </message>
    <message>
        <source>Alt+1 di formulir laporan baru</source>
        <translation>Alt+1 in the new-report form</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>id</source>
        <translation>en</translation>
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
    <name>messages</name>
    <message>
        <source>Tindakan ini tidak dapat dilakukan.</source>
        <translation>This action cannot be done.</translation>
    </message>
    <message>
        <source>Laporan ini tidak ada di komputer ini.</source>
        <translation>This report is not on this computer.</translation>
    </message>
    <message>
        <source>Laporan baru saja diubah orang lain; perubahannya kini ditampilkan. Periksa lalu ulangi tindakan Anda.</source>
        <translation>Someone else just changed the report; their change is shown now. Check it, then repeat your action.</translation>
    </message>
    <message>
        <source>Belum ada petugas yang bertugas di konsol ini: masuk (Ctrl+L) atau pilih petugas jaga. Sampai itu konsol hanya bisa dibaca.</source>
        <translation>Nobody is on duty at this console: log in (Ctrl+L) or choose who is on duty. Until then the console is read-only.</translation>
    </message>
    <message>
        <source>Tindakan ini tidak bisa untuk banyak laporan sekaligus.</source>
        <translation>This action cannot be done to several reports at once.</translation>
    </message>
    <message>
        <source>{field} wajib diisi.</source>
        <translation>{field} is required.</translation>
    </message>
    <message>
        <source>{field} terlalu panjang ({length} karakter; paling banyak {limit}).</source>
        <translation>{field} is too long ({length} characters; at most {limit}).</translation>
    </message>
    <message>
        <source>Kanal &quot;{channel}&quot; tidak dikenal.</source>
        <translation>Unknown channel &quot;{channel}&quot;.</translation>
    </message>
    <message>
        <source>Jenis triase &quot;{triage}&quot; tidak dikenal.</source>
        <translation>Unknown triage &quot;{triage}&quot;.</translation>
    </message>
    <message>
        <source>Isi lintang dan bujur sekaligus, atau kosongkan keduanya.</source>
        <translation>Give both latitude and longitude, or neither.</translation>
    </message>
    <message>
        <source>Koordinat {lat}, {lon} tidak ada di bumi; periksa lokasinya.</source>
        <translation>Coordinates {lat}, {lon} are not on Earth; check the location.</translation>
    </message>
    <message>
        <source>Koordinat {lat}, {lon} berada di luar {area}; periksa lokasinya.</source>
        <translation>Coordinates {lat}, {lon} are outside {area}; check the location.</translation>
    </message>
    <message>
        <source>Prioritas harus 1 sampai 4.</source>
        <translation>Priority must be 1 to 4.</translation>
    </message>
    <message>
        <source>Wilayah &quot;{region}&quot; tidak dikenal.</source>
        <translation>Unknown region &quot;{region}&quot;.</translation>
    </message>
    <message>
        <source>Kategori &quot;{category}&quot; tidak dikenal.</source>
        <translation>Unknown category &quot;{category}&quot;.</translation>
    </message>
    <message>
        <source>Instansi tidak dikenal: {agencies}.</source>
        <translation>Unknown agency: {agencies}.</translation>
    </message>
    <message>
        <source>Pilih paling sedikit satu instansi tujuan disposisi.</source>
        <translation>Choose at least one agency to dispatch to.</translation>
    </message>
    <message>
        <source>Membuka kembali laporan perlu alasan yang disampaikan warga.</source>
        <translation>Reopening a report needs the reason the citizen gave.</translation>
    </message>
    <message>
        <source>Catatan tidak boleh kosong.</source>
        <translation>A note cannot be empty.</translation>
    </message>
    <message>
        <source>Catatan paling banyak {limit} karakter.</source>
        <translation>A note can hold at most {limit} characters.</translation>
    </message>
    <message>
        <source>Isian {field} terlalu panjang untuk dikirim (banyak huruf khusus atau emoji); persingkat teksnya.</source>
        <translation>The {field} field is too long to send (many special letters or emoji); shorten the text.</translation>
    </message>
    <message>
        <source>Laporan tidak bisa menjadi duplikat dirinya sendiri.</source>
        <translation>A report cannot be a duplicate of itself.</translation>
    </message>
    <message>
        <source>{ticket} sendiri adalah duplikat; gabungkan ke laporan aslinya.</source>
        <translation>{ticket} is itself a duplicate; merge into the report it duplicates.</translation>
    </message>
    <message>
        <source>{ticket} berstatus &quot;{status}&quot;; laporan tidak bisa digabungkan ke sana.</source>
        <translation>{ticket} is &quot;{status}&quot;; a report cannot be merged into it.</translation>
    </message>
    <message>
        <source>Laporan {ticket} sudah disimpan, tetapi belum digabungkan: {cause}</source>
        <translation>Report {ticket} was saved, but not merged: {cause}</translation>
    </message>
    <message>
        <source>Tindakan &quot;{action}&quot; tidak bisa untuk laporan berstatus &quot;{status}&quot;.</source>
        <translation>&quot;{action}&quot; is not possible for a report that is &quot;{status}&quot;.</translation>
    </message>
    <message>
        <source>Tindakan ini tidak dapat dibatalkan.</source>
        <translation>This action cannot be undone.</translation>
    </message>
    <message>
        <source>Pilih triase: darurat, informasi, iseng, atau panggilan kosong.</source>
        <translation>Choose a triage: emergency, information, prank or ghost call.</translation>
    </message>
    <message>
        <source>Terlambat membatalkan {ticket}: pembatalan hanya bisa dalam {seconds} detik. Ubah laporan dengan tindakan biasa.</source>
        <translation>Too late to undo {ticket}: undo is possible for {seconds} seconds. Change the report with a normal action.</translation>
    </message>
    <message>
        <source>{ticket} sudah terkirim ke server; tidak bisa dibatalkan lagi. Ubah laporan dengan tindakan biasa.</source>
        <translation>{ticket} was already sent to the server; it can no longer be undone. Change the report with a normal action.</translation>
    </message>
    <message>
        <source>Petugas &quot;{username}&quot; tidak dikenal di konsol ini; masuk ke server pusat (Ctrl+L) dengan akun petugas itu.</source>
        <translation>Officer &quot;{username}&quot; is not known at this console; log in to the central server (Ctrl+L) with that officer&apos;s account.</translation>
    </message>
    <message>
        <source>{name} sudah masuk shift sejak {since}.</source>
        <translation>{name} has been on shift since {since}.</translation>
    </message>
    <message>
        <source>{name} belum masuk shift; masuk shift dulu.</source>
        <translation>{name} is not on shift; sign in to the shift first.</translation>
    </message>
    <message>
        <source>Serah terima ini tidak ada di konsol ini.</source>
        <translation>This handover is not on this console.</translation>
    </message>
    <message>
        <source>Hanya supervisor yang dapat melakukan ini.</source>
        <translation>Only a supervisor can do this.</translation>
    </message>
    <message>
        <source>Tanda tangan sebagai supervisor keluar atau masuk.</source>
        <translation>Sign as the outgoing or the incoming supervisor.</translation>
    </message>
    <message>
        <source>Hanya supervisor keluar yang membuat serah terima ini yang dapat menandatanganinya sebagai supervisor keluar.</source>
        <translation>Only the outgoing supervisor who made this handover can sign it as outgoing.</translation>
    </message>
    <message>
        <source>Supervisor keluar sudah menandatangani serah terima ini.</source>
        <translation>The outgoing supervisor has already signed this handover.</translation>
    </message>
    <message>
        <source>Supervisor keluar harus menandatangani dulu.</source>
        <translation>The outgoing supervisor must sign first.</translation>
    </message>
    <message>
        <source>Serah terima ini sudah ditandatangani supervisor masuk.</source>
        <translation>This handover is already signed by an incoming supervisor.</translation>
    </message>
    <message>
        <source>Supervisor masuk harus orang lain, bukan supervisor keluar.</source>
        <translation>The incoming supervisor must be someone other than the outgoing one.</translation>
    </message>
    <message>
        <source>{name} harus masuk shift sebelum mengambil alih.</source>
        <translation>{name} must sign in to the shift before taking over.</translation>
    </message>
    <message>
        <source>Jawaban login dari server tidak menyebut akun; coba lagi.</source>
        <translation>The server&apos;s login answer names no account; try again.</translation>
    </message>
    <message>
        <source>&quot;{username}&quot; belum pernah masuk di konsol ini; masuk ke server pusat dulu (Ctrl+L).</source>
        <translation>&quot;{username}&quot; has never logged in at this console; log in to the central server first (Ctrl+L).</translation>
    </message>
    <message>
        <source>Kata sandi salah.</source>
        <translation>Wrong password.</translation>
    </message>
    <message>
        <source>Nilai {field} yang diubah bukan waktu.</source>
        <translation>The edited value of {field} is not a time.</translation>
    </message>
    <message>
        <source>Pilih nilai untuk paling sedikit satu isian yang bentrok.</source>
        <translation>Choose a value for at least one conflicting field.</translation>
    </message>
    <message>
        <source>Konflik ini sudah diselesaikan atau bukan milik laporan ini.</source>
        <translation>This conflict is already resolved or not on this report.</translation>
    </message>
    <message>
        <source>Pilih nilai server atau nilai konsol ini.</source>
        <translation>Choose the server&apos;s value or this console&apos;s.</translation>
    </message>
    <message>
        <source>Laporan kini berstatus &quot;{status}&quot; dan tidak bisa pindah ke &quot;{wanted}&quot;; pakai status dari server, atau tindakan biasa.</source>
        <translation>The report is now &quot;{status}&quot; and cannot move to &quot;{wanted}&quot;; keep the server&apos;s status, or use the normal actions.</translation>
    </message>
    <message>
        <source>Sinkronisasi gagal; dicoba lagi nanti.</source>
        <translation>Sync failed; it will be tried again later.</translation>
    </message>
    <message>
        <source>Server pusat tidak menjawab; pekerjaan tetap tersimpan di sini dan dikirim saat sambungan kembali.</source>
        <translation>The central server does not answer; work stays saved here and is sent when the link is back.</translation>
    </message>
    <message>
        <source>Sertifikat server tidak dapat diverifikasi; periksa tanggal dan jam komputer serta alamat server.</source>
        <translation>The server&apos;s certificate could not be verified; check the computer&apos;s date and time and the server address.</translation>
    </message>
    <message>
        <source>Jawaban server tidak dapat dibaca (sambungan terganggu?); akan diminta lagi.</source>
        <translation>The server&apos;s answer could not be read (a disturbed link?); it will be asked again.</translation>
    </message>
    <message>
        <source>Jaringan menjawab dengan halaman web, bukan server Posko (halaman login Wi-Fi atau proxy?); buka peramban untuk masuk ke jaringan, lalu sinkronkan lagi.</source>
        <translation>The network answered with a web page instead of the Posko server (a Wi-Fi login page or a proxy?); open a browser to log in to the network, then sync again.</translation>
    </message>
    <message>
        <source>Server pusat sedang bermasalah (HTTP {status}); dicoba lagi nanti.</source>
        <translation>The central server is having trouble (HTTP {status}); it will be tried again later.</translation>
    </message>
    <message>
        <source>Belum masuk ke server pusat; masuk (Ctrl+L) untuk sinkronisasi.</source>
        <translation>Not logged in to the central server; log in (Ctrl+L) to sync.</translation>
    </message>
    <message>
        <source>Sesi login berakhir; masuk lagi (Ctrl+L).</source>
        <translation>The login session ended; log in again (Ctrl+L).</translation>
    </message>
    <message>
        <source>Login ditolak: nama pengguna atau kata sandi salah.</source>
        <translation>Login refused: wrong username or password.</translation>
    </message>
    <message>
        <source>Terlalu banyak percobaan login yang gagal; coba lagi dalam {minutes} menit.</source>
        <translation>Too many failed login attempts; try again in {minutes} minutes.</translation>
    </message>
    <message>
        <source>Akun ini dinonaktifkan oleh administrator server; sinkronisasi berhenti. Data dan perubahan yang belum terkirim tetap tersimpan di komputer ini; hubungi administrator.</source>
        <translation>This account was disabled by the server administrator; syncing has stopped. The data and the changes not yet sent stay on this computer; contact the administrator.</translation>
    </message>
    <message>
        <source>Basis data server diganti; data ditarik ulang dari awal.</source>
        <translation>The server&apos;s database was replaced; data is pulled again from the start.</translation>
    </message>
    <message>
        <source>Server menolak permintaan (HTTP {status}).</source>
        <translation>The server refused the request (HTTP {status}).</translation>
    </message>
    <message>
        <source>Basis data di komputer ini menolak penulisan; tidak ada yang tertulis setengah. Dicoba lagi nanti.</source>
        <translation>The database on this computer refused the write; nothing was half-written. It will be tried again later.</translation>
    </message>
    <message>
        <source>Disk komputer ini penuh; kosongkan sebagian ruang. Tidak ada yang tertulis setengah; sinkronisasi berlanjut saat ada ruang.</source>
        <translation>This computer&apos;s disk is full; free some space. Nothing was half-written; sync continues when there is room.</translation>
    </message>
    <message>
        <source>Sinkronisasi dihentikan: konsol sedang ditutup.</source>
        <translation>Sync stopped: the console is closing.</translation>
    </message>
    <message>
        <source>Terjadi kesalahan tak terduga.</source>
        <translation>An unexpected error happened.</translation>
    </message>
    <message>
        <source>Alamat {url} memakai http:// tanpa enkripsi: kata sandi akan terbaca di jaringan. Pakai alamat https:// server (atau, khusus jaringan uji, izinkan HTTP untuk folder data ini: posko sync --allow-http).</source>
        <translation>The address {url} uses http:// without encryption: the password could be read on the network. Use the server&apos;s https:// address (or, on a test network only, allow HTTP for this data folder: posko sync --allow-http).</translation>
    </message>
    <message>
        <source>Alamat server harus diawali https:// (atau http:// untuk komputer ini).</source>
        <translation>The server address must start with https:// (or http:// for this computer).</translation>
    </message>
    <message>
        <source>Judul</source>
        <extracomment>Codes whose English detail helps whoever supports the desk: shown after the sentence. Report fields (in error_params, in a refused change) -&gt; what the operator calls them.</extracomment>
        <translation>Title</translation>
    </message>
    <message>
        <source>Uraian</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Alamat</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Nama pelapor</source>
        <translation>Reporter&apos;s name</translation>
    </message>
    <message>
        <source>Telepon pelapor</source>
        <translation>Reporter&apos;s phone</translation>
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
        <source>Kategori</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Prioritas</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Triase</source>
        <translation>Triage</translation>
    </message>
    <message>
        <source>Instansi</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Wilayah</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Catatan</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Sudah masuk ke server pusat.</source>
        <extracomment>SyncStatus.code -&gt; the status line&apos;s sentence.</extracomment>
        <translation>Logged in to the central server.</translation>
    </message>
    <message>
        <source>Keluar dari server pusat.</source>
        <translation>Logged out of the central server.</translation>
    </message>
    <message>
        <source>Data sudah mutakhir.</source>
        <translation>Up to date.</translation>
    </message>
    <message>
        <source>Sinkronisasi sedang berjalan.</source>
        <translation>Sync in progress.</translation>
    </message>
    <message>
        <source>Server menolak perubahan ini sebagai tidak sah.</source>
        <extracomment>Why the server refused one change: the code stored before the first &quot;:&quot; of outbox.last_error (the server&apos;s HTTP-like code, or a local word).</extracomment>
        <translation>The server refused this change as invalid.</translation>
    </message>
    <message>
        <source>Akun ini tidak boleh mengubah laporan di wilayah tersebut.</source>
        <translation>This account may not change reports in that region.</translation>
    </message>
    <message>
        <source>Laporan ini tidak ada di server, atau di luar wilayah akun ini.</source>
        <translation>This report does not exist on the server, or is outside this account&apos;s regions.</translation>
    </message>
    <message>
        <source>Bentrok dengan data di server (sudah ada, atau kode perubahan dipakai untuk isi lain).</source>
        <translation>It clashes with data on the server (it already exists, or the change id was used for different content).</translation>
    </message>
    <message>
        <source>Perubahan ini terlalu besar untuk diterima server.</source>
        <translation>This change is too large for the server to accept.</translation>
    </message>
    <message>
        <source>Server menolak isi perubahan ini karena tidak sah.</source>
        <translation>The server refused the content of this change as invalid.</translation>
    </message>
    <message>
        <source>Perubahan yang tersimpan rusak dan tidak dapat dikirim.</source>
        <translation>The stored change is damaged and cannot be sent.</translation>
    </message>
    <message numerus="yes">
        <source>%n perubahan ditolak server perlu diperiksa.</source>
        <translation>
            <numerusform>%n change refused by the server needs attention.</numerusform>
            <numerusform>%n changes refused by the server need attention.</numerusform>
        </translation>
    </message>
    <message>
        <source>Jam komputer ini selisih {minutes} menit dari server (sinkronisasi tidak terganggu, tetapi waktu yang diketik di sini mungkin salah).</source>
        <translation>This computer&apos;s clock is {minutes} minutes off the server&apos;s (sync is not affected, but times typed here may be wrong).</translation>
    </message>
    <message>
        <source>Server menolak perubahan ini.</source>
        <translation>The server refused this change.</translation>
    </message>
</context>
<context>
    <name>run_console</name>
    <message>
        <source>Folder data ini sedang dipakai program Posko lain. Satu folder data hanya dibuka oleh satu program; tidak ada yang diubah.</source>
        <translation>This data folder is in use by another Posko program. A data folder is opened by one program at a time; nothing was changed.</translation>
    </message>
    <message>
        <source>program Posko lain yang sedang dimulai</source>
        <translation>another Posko program that is just starting</translation>
    </message>
    <message>
        <source>PID {pid} di {host}, sejak {since} ({command})</source>
        <translation>PID {pid} on {host}, since {since} ({command})</translation>
    </message>
    <message>
        <source>Folder: {folder}
Dipakai oleh: {who}
Tutup program itu dulu, atau pakai --data-dir lain.</source>
        <translation>Folder: {folder}
Used by: {who}
Close that program first, or use another --data-dir.</translation>
    </message>
    <message>
        <source>Posko</source>
        <translation>Posko</translation>
    </message>
    <message>
        <source>Berkas data tidak dapat dibuka. Berkas tidak diubah.</source>
        <translation>The data file cannot be opened. The file was not changed.</translation>
    </message>
</context>
<context>
    <name>sensor_texts</name>
    <message>
        <source>Normal</source>
        <extracomment>Marker and chart colours by state (the map&apos;s priority palette: red is danger).</extracomment>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Waspada</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Bahaya</source>
        <translation>Danger</translation>
    </message>
    <message>
        <source>Tidak mengirim data</source>
        <translation>Not sending data</translation>
    </message>
    <message>
        <source>Tinggi muka air</source>
        <translation>Water level</translation>
    </message>
    <message>
        <source>Curah hujan</source>
        <translation>Rainfall</translation>
    </message>
    <message>
        <source>Kualitas udara</source>
        <translation>Air quality</translation>
    </message>
    <message>
        <source>belum ada pembacaan</source>
        <translation>no reading yet</translation>
    </message>
    <message>
        <source>Batas waspada {warn} · bahaya {danger}</source>
        <translation>Warning level {warn} · danger {danger}</translation>
    </message>
    <message>
        <source>Sensor {id}</source>
        <translation>Sensor {id}</translation>
    </message>
    <message>
        <source>{kind}: {value} · {state}</source>
        <translation>{kind}: {value} · {state}</translation>
    </message>
    <message>
        <source>Pembacaan terakhir: {time}</source>
        <translation>Last reading: {time}</translation>
    </message>
</context>
</TS>
