"""Indonesian demo texts: report titles and descriptions per category, places, people.

Everything here is plain data plus a few pre-split templates, so the generator can fill
millions of reports quickly. Slots in templates (``str.format`` names):

``{jalan}`` street, ``{no}`` house number, ``{rt}``/``{rw}`` neighbourhood numbers (already
zero-padded), ``{tempat}`` a landmark, ``{kel}``/``{kec}`` kelurahan and kecamatan names,
``{jam}`` local time ``HH.MM``, ``{menit}`` a small number of minutes/hours/days,
``{sungai}`` a river or channel of the city.

Street names, landmarks and rivers are real places in Kota Bandung and Kota Semarang.
People's names are common Indonesian (Sundanese/Javanese) names; phone numbers use real
operator prefixes with random subscriber digits — they are fake.
"""

from __future__ import annotations

# --- places -----------------------------------------------------------------------

STREETS: dict[str, tuple[str, ...]] = {
    "bandung": (
        "Jl. Asia Afrika", "Jl. Ir. H. Juanda (Dago)", "Jl. Soekarno-Hatta", "Jl. Braga",
        "Jl. Merdeka", "Jl. R.E. Martadinata (Riau)", "Jl. Dr. Djunjunan (Pasteur)",
        "Jl. Cihampelas", "Jl. Dr. Setiabudi", "Jl. Pasirkaliki", "Jl. Buah Batu",
        "Jl. Kiaracondong", "Jl. Jend. Ahmad Yani", "Jl. Supratman", "Jl. Diponegoro",
        "Jl. Otto Iskandardinata", "Jl. Pajajaran", "Jl. Sukajadi", "Jl. Cicendo",
        "Jl. Gatot Subroto", "Jl. Terusan Jakarta", "Jl. Cibaduyut", "Jl. Moh. Toha",
        "Jl. Kopo", "Jl. Caringin", "Jl. Peta", "Jl. BKR", "Jl. Lengkong Besar",
        "Jl. Burangrang", "Jl. Turangga", "Jl. Rumah Sakit (Gedebage)", "Jl. Raya Cibiru",
        "Jl. A.H. Nasution", "Jl. Dipatiukur", "Jl. Tamansari", "Jl. Siliwangi",
        "Jl. Cipaganti", "Jl. Surapati", "Jl. PHH Mustofa (Suci)", "Jl. Cikutra",
        "Jl. Pagarsih", "Jl. Sudirman", "Jl. Jamika", "Jl. Holis", "Jl. Arcamanik",
        "Jl. Ciumbuleuit", "Jl. Sersan Bajuri", "Jl. Pelajar Pejuang 45", "Jl. Karapitan",
        "Jl. Cijerah",
    ),
    "semarang": (
        "Jl. Pemuda", "Jl. Pandanaran", "Jl. Gajahmada", "Jl. Pahlawan", "Jl. MT Haryono",
        "Jl. Dr. Cipto", "Jl. Majapahit", "Jl. Setiabudi", "Jl. Kaligawe Raya",
        "Jl. Siliwangi", "Jl. Jend. Sudirman", "Jl. Imam Bonjol", "Jl. MH Thamrin",
        "Jl. Sriwijaya", "Jl. Veteran", "Jl. Ngesrep Timur", "Jl. Prof. Soedarto",
        "Jl. Raya Kedungmundu", "Jl. Fatmawati", "Jl. Brigjen Sudiarto",
        "Jl. Arteri Soekarno-Hatta", "Jl. Yos Sudarso", "Jl. Arteri Utara",
        "Jl. Walisongo", "Jl. Abdulrahman Saleh", "Jl. Kelud Raya", "Jl. Erlangga Raya",
        "Jl. Dr. Wahidin", "Jl. Citarum", "Jl. Prof. Hamka", "Jl. Hanoman Raya",
        "Jl. Indraprasta", "Jl. Kartini", "Jl. Letjen Suprapto", "Jl. Dr. Sutomo",
        "Jl. Mataram", "Jl. Tentara Pelajar", "Jl. Gombel Lama", "Jl. Pleburan Barat",
        "Jl. Supriyadi", "Jl. Tlogosari Raya", "Jl. Woltermonginsidi", "Jl. Papandayan",
        "Jl. Jatingaleh", "Jl. Raya Mangkang", "Jl. Pamularsih",
    ),
}

LANDMARKS: dict[str, tuple[str, ...]] = {
    "bandung": (
        "Gedung Sate", "Alun-alun Bandung", "Masjid Raya Bandung", "Stasiun Bandung",
        "Terminal Leuwipanjang", "Terminal Cicaheum", "Pasar Baru", "Pasar Kosambi",
        "Pasar Caringin", "Lapangan Gasibu", "Taman Lansia", "Balai Kota Bandung",
        "Bandung Indah Plaza", "Cihampelas Walk", "Paris Van Java", "Trans Studio Mall",
        "Pasar Andir", "Pasar Kiaracondong", "RSUP Hasan Sadikin", "Kampus ITB",
        "Flyover Pasupati", "Stadion GBLA", "Taman Tegallega", "Monumen Perjuangan",
        "Jembatan Cikapayang", "Pasar Ciroyom", "Stasiun Kiaracondong", "Pasar Gedebage",
        "Taman Balai Kota", "SMA Negeri 3 Bandung",
    ),
    "semarang": (
        "Simpang Lima", "Lawang Sewu", "Tugu Muda", "Kota Lama", "Gereja Blenduk",
        "Pasar Johar", "Pasar Bulu", "Stasiun Tawang", "Stasiun Poncol", "Terminal Terboyo",
        "Terminal Mangkang", "Bandara Ahmad Yani", "Masjid Agung Jawa Tengah",
        "Klenteng Sam Poo Kong", "Paragon Mall", "Java Mall", "DP Mall", "RSUP Kariadi",
        "Kampus Undip Tembalang", "Pelabuhan Tanjung Emas", "Kawasan Industri Candi",
        "Polder Tawang", "Pasar Karangayu", "Pasar Peterongan", "Taman Indonesia Kaya",
        "Pasar Jatingaleh", "Balai Kota Semarang", "Kampus Unnes Sekaran",
    ),
}

RIVERS: dict[str, tuple[str, ...]] = {
    "bandung": ("Sungai Cikapundung", "Sungai Citepus", "Sungai Cidurian", "Sungai Cipamokolan",
                "Sungai Cinambo", "Sungai Cicadas", "Sungai Cibeunying"),
    "semarang": ("Banjir Kanal Barat", "Banjir Kanal Timur", "Kali Semarang", "Kali Tenggang",
                 "Kali Sringin", "Kali Babon", "Kali Beringin"),
}

# --- people -----------------------------------------------------------------------

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Asep", "Ujang", "Cecep", "Euis", "Neneng", "Dadang",
    "Yayan", "Rina", "Wahyu", "Joko", "Slamet", "Sri", "Bambang", "Endang", "Yusuf", "Nur",
    "Ahmad", "Rudi", "Hendra", "Iwan", "Lina", "Yanti", "Dedi", "Tuti", "Eko", "Wulan",
    "Fajar", "Rizky", "Putri", "Ayu", "Dian", "Indra", "Hadi", "Sutrisno", "Suparman",
    "Ratna", "Nining", "Kokom", "Aep", "Dodi", "Teguh", "Retno", "Rahmat", "Lilis", "Taufik",
    "Mulyani", "Dimas", "Nanda", "Andi", "Irfan", "Ika", "Tri", "Heru", "Yudi", "Anisa",
)
LAST_NAMES = (
    "Santoso", "Nurhaliza", "Setiawan", "Lestari", "Saepudin", "Suryana", "Hidayat",
    "Rahayu", "Kurniawan", "Wibowo", "Susanti", "Pratama", "Permana", "Sudrajat", "Gunawan",
    "Purnomo", "Wijaya", "Handayani", "Firmansyah", "Mulyadi", "Suhendar", "Nugroho",
    "Saputra", "Wahyuni", "Ramdani", "Kusuma", "Sulistyo", "Maulana", "Hermawan", "Fitriani",
    "Supriyadi", "Sumarni", "Hakim", "Anggraini", "Sopandi", "Rosita", "Haryanto",
)
#: Real mobile prefixes (Telkomsel, Indosat, XL, Axis, Tri, Smartfren); digits are random.
PHONE_PREFIXES = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0814", "0815", "0816",
    "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0831",
    "0832", "0838", "0895", "0896", "0897", "0898", "0899", "0881", "0882", "0887", "0888",
)
SOCIAL_HANDLES = (
    "@{first}{last}", "@{first}_{last}", "@{first}.{n}", "@warga{kecs}{n}", "@{first}{n}",
)

# --- category templates ----------------------------------------------------------
# (title, description) pairs. Titles stay short (queue rows); descriptions read like what
# citizens actually write or what an operator types from a call.

T = tuple[tuple[str, str], ...]

CATEGORY_TEMPLATES: dict[str, T] = {
    "polusi_udara": (
        ("Asap pabrik hitam pekat di {jalan}",
         "Sejak pagi cerobong pabrik di {jalan} mengeluarkan asap hitam pekat, bau menyengat "
         "sampai ke RT {rt}/RW {rw}. Anak-anak batuk, warga terpaksa menutup jendela."),
        ("Pembakaran sampah tiap malam dekat {tempat}",
         "Setiap malam sekitar pukul {jam} ada yang membakar sampah plastik di lahan dekat "
         "{tempat}. Asapnya masuk ke rumah, lansia di rumah kami sesak napas."),
        ("Debu proyek galian di Kel. {kel}",
         "Truk proyek galian lalu-lalang tanpa penutup bak, debu tebal menutupi {jalan} dan "
         "warung-warung. Jalan tidak pernah disiram, kaca rumah kotor tiap hari."),
        ("Bau menyengat dari bengkel cat {jalan}",
         "Bengkel cat mobil di {jalan} No. {no} menyemprot cat di pinggir jalan tanpa ruang "
         "tertutup. Baunya sampai ke sekolah dekat {tempat}, murid mengeluh pusing."),
    ),
    "kebakaran": (
        ("Kebakaran rumah di {jalan}",
         "Api terlihat dari atap rumah warga di {jalan} No. {no}, RT {rt}/RW {rw}. Asap hitam "
         "tebal, warga mencoba memadamkan dengan ember. Mohon segera kirim damkar."),
        ("Kebakaran lapak di dekat {tempat}",
         "Beberapa lapak pedagang terbakar di dekat {tempat} sekitar pukul {jam}. Api cepat "
         "membesar karena banyak barang mudah terbakar."),
        ("Korsleting listrik, api di gudang {jalan}",
         "Terjadi korsleting di gudang sebelah {jalan}, api sudah keluar dari jendela. Belum "
         "diketahui ada korban atau tidak."),
        ("Kebakaran lahan kosong Kel. {kel}",
         "Lahan kosong dan tumpukan sampah terbakar di Kel. {kel}, asap masuk ke permukiman "
         "RW {rw}. Warga khawatir api merembet ke rumah."),
        ("Tabung gas bocor terbakar di {jalan}",
         "Tabung gas 3 kg di warung makan {jalan} bocor dan menyala. Pemilik sudah keluar, "
         "api masih ada di dapur."),
    ),
    "kecelakaan": (
        ("Kecelakaan motor vs mobil di {jalan}",
         "Tabrakan sepeda motor dengan mobil di {jalan} dekat {tempat}. Pengendara motor "
         "tergeletak, belum sadar. Lalu lintas macet."),
        ("Tabrakan beruntun di {jalan}",
         "Tiga kendaraan tabrakan beruntun di {jalan} arah {tempat} sekitar pukul {jam}. Ada "
         "yang luka-luka, mohon ambulans dan polisi."),
        ("Pejalan kaki tertabrak di {jalan}",
         "Seorang pejalan kaki tertabrak motor saat menyeberang di {jalan} depan {tempat}. "
         "Korban mengalami luka di kepala."),
        ("Motor tergelincir di {jalan}",
         "Pengendara motor jatuh karena jalan licin dan berlubang di {jalan}, RT {rt}/RW {rw}. "
         "Kaki korban diduga patah."),
        ("Truk terguling di {jalan}",
         "Truk bermuatan terguling di {jalan}, menutup separuh badan jalan. Sopir terjepit di "
         "kabin."),
    ),
    "darurat_medis": (
        ("Warga pingsan di {tempat}",
         "Seorang bapak tiba-tiba pingsan di area {tempat}, napas lemah. Mohon kirim ambulans "
         "segera."),
        ("Ibu hamil perlu ambulans, {jalan}",
         "Ibu hamil di {jalan} No. {no} RT {rt}/RW {rw} sudah pecah ketuban, keluarga tidak "
         "punya kendaraan. Mohon bantuan ambulans."),
        ("Lansia jatuh di rumah, Kel. {kel}",
         "Lansia 78 tahun jatuh di kamar mandi dan tidak bisa bangun, tinggal sendiri. "
         "Tetangga melapor dari {jalan} RT {rt}/RW {rw}."),
        ("Dugaan serangan jantung di {jalan}",
         "Pria sekitar 50 tahun mengeluh nyeri dada hebat lalu tidak sadar di {jalan} dekat "
         "{tempat}. Warga sedang mencoba memberi pertolongan."),
        ("Anak kejang demam tinggi, Kel. {kel}",
         "Anak usia 3 tahun kejang dengan demam tinggi sejak pukul {jam}. Orang tua minta "
         "ambulans ke {jalan} No. {no}."),
    ),
    "bencana_longsor": (
        ("Tebing longsor menimpa rumah di Kel. {kel}",
         "Tebing setinggi sekitar 5 meter longsor setelah hujan deras dan menimpa dapur rumah "
         "warga RT {rt}/RW {rw}. Penghuni sudah dievakuasi tetangga."),
        ("Longsor menutup jalan di {jalan}",
         "Material longsor menutup sebagian {jalan}, kendaraan tidak bisa lewat. Tanah masih "
         "bergerak."),
        ("Retakan tanah dan longsor kecil Kel. {kel}",
         "Muncul retakan tanah di permukiman RW {rw} Kel. {kel}, sebagian sudah longsor ke "
         "sungai. Warga takut tinggal di rumah."),
        ("Turap sungai ambrol di {sungai}",
         "Turap {sungai} di belakang RT {rt}/RW {rw} ambrol sepanjang 10 meter, dua rumah di "
         "tepi sungai terancam."),
    ),
    "kriminalitas": (
        ("Dugaan pencurian motor di {jalan}",
         "Motor warga hilang dari depan rumah di {jalan} No. {no} sekitar pukul {jam}. Ada "
         "rekaman CCTV tetangga."),
        ("Penjambretan di dekat {tempat}",
         "Seorang ibu dijambret tasnya oleh dua orang bermotor di dekat {tempat}. Pelaku kabur "
         "ke arah {jalan}."),
        ("Perkelahian antarkelompok di {jalan}",
         "Sekelompok remaja berkelahi membawa senjata tajam di {jalan}, warga ketakutan. Mohon "
         "polisi datang."),
        ("Rumah dibobol maling, Kel. {kel}",
         "Rumah kosong di RT {rt}/RW {rw} Kel. {kel} dibobol, pintu belakang rusak. Pemilik "
         "sedang mudik."),
        ("Geng motor meresahkan di {jalan}",
         "Rombongan geng motor melintas di {jalan} tengah malam, memukul kaca mobil dan "
         "mengacungkan senjata."),
    ),
    "banjir": (
        ("Genangan air di {jalan}",
         "Setelah hujan deras, {jalan} dekat {tempat} tergenang setinggi 30 cm. Motor banyak "
         "yang mogok."),
        ("Banjir masuk rumah warga RW {rw} Kel. {kel}",
         "Air setinggi lutut masuk ke rumah warga RT {rt}/RW {rw} Kel. {kel} sejak pukul "
         "{jam}. Warga mulai mengungsikan barang."),
        ("Luapan {sungai} di Kel. {kel}",
         "{sungai} meluap ke permukiman di Kel. {kel}. Arus cukup deras, ada lansia dan balita "
         "yang perlu dievakuasi."),
        ("Cileuncang di {jalan}",
         "Cileuncang (genangan) di {jalan} tidak surut lebih dari {menit} jam, saluran di "
         "pinggir jalan penuh sampah."),
        ("Banjir rob di {jalan}",
         "Air rob masuk ke {jalan} dan gang-gang di RW {rw}, tinggi sekitar 20-40 cm. Sudah "
         "beberapa hari berulang."),
        ("Underpass tergenang dekat {tempat}",
         "Underpass dekat {tempat} tergenang, kendaraan kecil tidak bisa lewat. Pompa "
         "sepertinya tidak berfungsi."),
    ),
    "pohon_tumbang": (
        ("Pohon tumbang menutup {jalan}",
         "Pohon besar tumbang melintang di {jalan} dekat {tempat} setelah angin kencang. "
         "Jalan tertutup total."),
        ("Pohon tumbang menimpa mobil di {jalan}",
         "Pohon tumbang menimpa mobil yang parkir di {jalan} No. {no}. Tidak ada korban jiwa, "
         "kabel listrik ikut tertarik."),
        ("Dahan pohon rawan patah di {jalan}",
         "Dahan pohon angsana di {jalan} sudah retak dan menggantung di atas trotoar. Mohon "
         "dipangkas sebelum jatuh."),
        ("Pohon roboh di halaman sekolah, Kel. {kel}",
         "Pohon roboh di halaman sekolah dekat RW {rw} Kel. {kel}, menimpa pagar. Siswa "
         "diliburkan sementara."),
    ),
    "jalan_rusak": (
        ("Jalan berlubang di {jalan}",
         "Lubang besar di {jalan} dekat {tempat}, diameter sekitar 1 meter. Sudah ada "
         "pengendara motor yang jatuh."),
        ("Aspal mengelupas di {jalan}",
         "Aspal di {jalan} RT {rt}/RW {rw} mengelupas sepanjang puluhan meter, jalan jadi "
         "bergelombang dan berdebu."),
        ("Jalan ambles di {jalan}",
         "Badan {jalan} ambles di sisi kiri, membahayakan kendaraan yang lewat malam hari "
         "karena tidak ada tanda peringatan."),
        ("Trotoar rusak di depan {tempat}",
         "Trotoar di depan {tempat} rusak dan ubinnya lepas, pejalan kaki terpaksa turun ke "
         "jalan."),
        ("Bekas galian belum ditutup di {jalan}",
         "Bekas galian pipa di {jalan} No. {no} belum ditutup kembali sejak {menit} hari, "
         "hanya diberi batu bata sebagai tanda."),
        ("Jalan gang rusak RT {rt}/RW {rw} Kel. {kel}",
         "Jalan gang di RT {rt}/RW {rw} Kel. {kel} rusak parah, paving lepas dan tergenang "
         "saat hujan."),
    ),
    "drainase": (
        ("Saluran air tersumbat di {jalan}",
         "Selokan di {jalan} tersumbat sampah dan lumpur, air meluber ke jalan tiap hujan."),
        ("Gorong-gorong mampet RT {rt}/RW {rw}",
         "Gorong-gorong di RT {rt}/RW {rw} Kel. {kel} mampet, air comberan menggenang dan "
         "berbau."),
        ("Penutup saluran hilang di {jalan}",
         "Penutup saluran (grill) di {jalan} dekat {tempat} hilang, lubang terbuka dan "
         "berbahaya untuk pejalan kaki."),
        ("Drainase jebol di {jalan}",
         "Dinding drainase di {jalan} jebol, tanah di pinggir jalan ikut tergerus."),
    ),
    "sampah": (
        ("Sampah menumpuk di TPS {jalan}",
         "TPS di {jalan} sudah {menit} hari tidak diangkut, sampah meluber ke jalan dan "
         "berbau menyengat."),
        ("Pembuangan sampah liar di Kel. {kel}",
         "Ada warga yang membuang sampah sembarangan di lahan kosong RT {rt}/RW {rw} Kel. "
         "{kel}, biasanya malam hari."),
        ("Sampah di {sungai}",
         "Tumpukan sampah tersangkut di {sungai} dekat jembatan {jalan}, bisa menyebabkan "
         "banjir."),
        ("Sampah pasar belum diangkut di {tempat}",
         "Sampah sisa pasar di {tempat} belum diangkut sejak pagi, lalat banyak dan bau "
         "sampai ke permukiman."),
        ("Pembakaran sampah di {jalan}",
         "Warga membakar sampah di pinggir {jalan}, asapnya mengganggu pernapasan anak-anak."),
    ),
    "lampu_jalan": (
        ("PJU mati di {jalan}",
         "Lampu penerangan jalan di {jalan} dekat {tempat} mati sudah {menit} hari, jalan "
         "gelap dan rawan kejahatan."),
        ("Lampu jalan berkedip di {jalan}",
         "Beberapa lampu PJU di {jalan} berkedip-kedip dan kadang mati total malam hari."),
        ("Tiang PJU miring di {jalan}",
         "Tiang lampu jalan di {jalan} No. {no} miring setelah ditabrak kendaraan, "
         "dikhawatirkan roboh."),
        ("Gang gelap, lampu mati RT {rt}/RW {rw}",
         "Lampu jalan di gang RT {rt}/RW {rw} Kel. {kel} mati semua, warga pulang kerja malam "
         "merasa tidak aman."),
    ),
    "lalu_lintas": (
        ("Lampu lalu lintas mati di simpang {jalan}",
         "Traffic light di simpang {jalan} mati sejak pukul {jam}, kendaraan saling serobot "
         "dan macet panjang."),
        ("Kemacetan parah di {jalan}",
         "Macet total di {jalan} arah {tempat}, kendaraan tidak bergerak lebih dari {menit} "
         "menit. Tidak ada petugas."),
        ("Parkir liar di {jalan}",
         "Banyak mobil parkir di bahu {jalan} dekat {tempat}, jalan menyempit dan macet."),
        ("Rambu lalu lintas roboh di {jalan}",
         "Rambu dilarang berhenti di {jalan} roboh dan menghalangi jalur sepeda motor."),
    ),
    "gangguan_ketertiban": (
        ("PKL memenuhi trotoar di {jalan}",
         "Pedagang kaki lima memenuhi trotoar {jalan} dekat {tempat}, pejalan kaki harus "
         "berjalan di badan jalan."),
        ("Pengamen dan anak jalanan di simpang {jalan}",
         "Banyak pengamen dan anak jalanan di lampu merah {jalan}, sebagian memaksa minta "
         "uang ke pengendara."),
        ("Bangunan liar di bantaran {sungai}",
         "Ada bangunan semi permanen baru di bantaran {sungai} dekat RW {rw} Kel. {kel}."),
        ("Orang mabuk mengganggu warga di {jalan}",
         "Sekelompok orang mabuk-mabukan di pos ronda {jalan} RT {rt}/RW {rw} tiap malam dan "
         "mengganggu warga."),
    ),
    "kebisingan": (
        ("Suara musik keras tengah malam di {jalan}",
         "Tetangga di {jalan} No. {no} menyalakan musik sangat keras sampai lewat tengah "
         "malam, warga tidak bisa tidur."),
        ("Bising proyek malam hari di {jalan}",
         "Proyek pembangunan di {jalan} bekerja sampai pukul {jam} malam dengan alat berat, "
         "sangat bising."),
        ("Knalpot brong di {jalan}",
         "Banyak motor berknalpot brong kebut-kebutan di {jalan} tiap malam minggu."),
    ),
    "air_pdam": (
        ("Air PDAM tidak mengalir di RW {rw} Kel. {kel}",
         "Air PDAM di RT {rt}/RW {rw} Kel. {kel} tidak mengalir sejak {menit} hari, warga "
         "terpaksa membeli air galon."),
        ("Pipa PDAM bocor di {jalan}",
         "Pipa PDAM bocor di {jalan} dekat {tempat}, air menyembur ke jalan dan terbuang "
         "percuma."),
        ("Air PDAM keruh di {jalan}",
         "Air PDAM di {jalan} No. {no} keruh kecokelatan dan berbau sejak kemarin."),
        ("Tekanan air PDAM kecil, Kel. {kel}",
         "Air PDAM hanya mengalir kecil pada pukul {jam} dini hari, siang hari tidak keluar "
         "sama sekali."),
    ),
    "listrik_padam": (
        ("Listrik padam di Kel. {kel}",
         "Listrik di RT {rt}/RW {rw} Kel. {kel} padam sejak pukul {jam}, belum ada informasi "
         "dari PLN."),
        ("Trafo meledak di {jalan}",
         "Terdengar ledakan dari trafo di {jalan} dekat {tempat}, lalu listrik satu kawasan "
         "padam."),
        ("Tiang listrik miring di {jalan}",
         "Tiang listrik di {jalan} No. {no} miring dan kabelnya menjuntai rendah."),
    ),
    "kabel_semrawut": (
        ("Kabel menjuntai di {jalan}",
         "Kabel telekomunikasi menjuntai rendah di {jalan} dekat {tempat}, bisa menjerat "
         "pengendara motor."),
        ("Kabel semrawut di tiang {jalan}",
         "Kabel di tiang {jalan} semrawut dan sebagian putus, menggantung di atas trotoar."),
        ("Kabel putus melintang di gang RW {rw}",
         "Kabel putus melintang di gang RT {rt}/RW {rw} Kel. {kel}, sudah {menit} hari belum "
         "diperbaiki."),
    ),
    "administrasi_kependudukan": (
        ("KTP-el belum jadi, Kel. {kel}",
         "Sudah rekam KTP-el {menit} bulan lalu di kecamatan {kec} tapi belum jadi. Mohon info "
         "kapan bisa diambil."),
        ("Pengurusan KK baru RT {rt}/RW {rw}",
         "Warga RT {rt}/RW {rw} minta bantuan pengurusan Kartu Keluarga baru setelah menikah, "
         "syaratnya apa saja."),
        ("Surat keterangan domisili, Kel. {kel}",
         "Mohon dibuatkan surat keterangan domisili untuk melamar kerja. Sudah bawa pengantar "
         "RT/RW."),
        ("Akta kelahiran anak belum terbit",
         "Mengajukan akta kelahiran anak lewat kelurahan {kel} sejak {menit} minggu lalu, "
         "statusnya belum ada kabar."),
        ("Izin keramaian hajatan di {jalan}",
         "Mau mengadakan hajatan di {jalan} No. {no} dan perlu izin keramaian, jalan akan "
         "ditutup sebagian."),
    ),
    "informasi": (
        ("Tanya jadwal posyandu Kel. {kel}",
         "Warga menanyakan jadwal posyandu dan imunisasi di Kel. {kel} bulan ini."),
        ("Informasi jalan ditutup di {jalan}",
         "Penelepon menanyakan apakah {jalan} ditutup karena ada acara di {tempat}."),
        ("Tanya nomor darurat damkar dan PLN",
         "Warga meminta nomor telepon pengaduan PLN dan damkar terdekat dari Kel. {kel}."),
        ("Informasi lokasi pengungsian banjir",
         "Penelepon menanyakan lokasi posko pengungsian terdekat dari RW {rw} Kel. {kel}."),
        ("Tanya rumah sakit rujukan terdekat",
         "Penelepon menanyakan rumah sakit dengan IGD terdekat dari {tempat}."),
    ),
}

# 112 outcomes that are not a category of their own.
GHOST_TEMPLATES: T = (
    ("Panggilan 112 tanpa suara",
     "Panggilan masuk pukul {jam}, tidak ada suara dari penelepon. Ditunggu {menit} detik lalu "
     "terputus."),
    ("Panggilan 112 terputus",
     "Sambungan terputus sebelum penelepon berbicara. Dihubungi balik tidak aktif."),
    ("Panggilan tidak sengaja (pocket dial)",
     "Terdengar suara gesekan dan percakapan samar, diduga telepon terpencet di saku."),
    ("Panggilan 112 hening",
     "Tidak ada respons dari penelepon setelah tiga kali sapaan. Panggilan diakhiri operator."),
)
PRANK_TEMPLATES: T = (
    ("Panggilan iseng: laporan {kategori} palsu",
     "Penelepon melaporkan {kategori} di {jalan} lalu tertawa dan menutup telepon. Tidak ada "
     "kejadian di lokasi."),
    ("Panggilan iseng anak-anak",
     "Suara anak-anak bercanda dan menyebut {kategori} di dekat {tempat}, kemudian telepon "
     "ditutup."),
    ("Penelepon berkata kasar",
     "Penelepon berkata kasar dan mengaku ada {kategori}, tidak mau menyebutkan lokasi."),
    ("Panggilan iseng berulang",
     "Nomor yang sama menelepon berulang kali sejak pukul {jam} dengan laporan {kategori} "
     "yang tidak benar."),
)
SENSOR_TEMPLATES: T = (
    ("Sensor TMA {sungai}: status Siaga",
     "Sensor tinggi muka air di {sungai} (pos pantau {jalan}) melewati ambang Siaga pukul "
     "{jam}. Kenaikan {menit} cm dalam 30 menit terakhir."),
    ("Sensor TMA {sungai}: status Waspada",
     "Tinggi muka air {sungai} di pos pantau Kel. {kel} mencapai ambang Waspada. Hujan di hulu "
     "masih berlangsung."),
    ("Sensor genangan {jalan}: air > 20 cm",
     "Sensor genangan di {jalan} dekat {tempat} mencatat ketinggian air lebih dari 20 cm."),
)

#: Extra words a 112 operator appends to a description, for variety.
CALL_SUFFIXES = (
    "", "", "", " Penelepon masih di lokasi.", " Penelepon panik, sulit dimengerti.",
    " Sudah ada warga berkumpul.", " Mohon segera ditindaklanjuti.",
)
