"""Starting codes of conduct, one per regime described in the seed articles.

The rule texts are Santun's own wording of what each source sets out, in Indonesian because they
become the institution's code (its data, which Humas may edit before the head publishes). Each
template cites its source article by title (or subject, where the article has no headline) and
date. Names and descriptions shown in the template picker go through gettext like any other UI text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import ChannelKind, Institution, RuleCategory, RuleKind, Severity

C, K, S = RuleCategory, RuleKind, Severity
WA = (ChannelKind.WHATSAPP_GROUP,)
ACCOUNTS = (ChannelKind.FACEBOOK, ChannelKind.INSTAGRAM, ChannelKind.X, ChannelKind.YOUTUBE, ChannelKind.TIKTOK,
            ChannelKind.WEBSITE)


@dataclass(frozen=True)
class TemplateRule:
    number: str
    category: str
    kind: str
    severity: int
    text: str
    channel_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeTemplate:
    key: str
    name: str  # lazy, shown in the picker
    description: str  # lazy, shown in the picker
    title: str  # Indonesian: becomes the version's title
    source_note: str  # Indonesian: the citation printed with the code
    preamble: str  # Indonesian
    rules: tuple[TemplateRule, ...]
    institution_kinds: tuple[str, ...] = field(default_factory=tuple)

    def count(self, kind: str) -> int:
        return sum(1 for rule in self.rules if rule.kind == kind)


MADRASAH_WA_GROUP = CodeTemplate(
    key="madrasah_wa_group",
    name=_("Madrasah WhatsApp group"),
    description=_(
        "House rules for a madrasah's official WhatsApp group: useful information only; no pornography, politics, "
        "SARA, harassment or mockery of officials; product promotion allowed. Two warning letters (SP), then "
        "removal from the group."
    ),
    title="Tata Tertib Grup WhatsApp Resmi Madrasah",
    source_note=(
        "Disusun dari pemberitaan hasil rapat koordinasi MTs Negeri I Muara Enim tentang penertiban penggunaan "
        "WA group resmi madrasah, Sabtu, 8 Agustus 2020."
    ),
    preamble=(
        "Grup WhatsApp resmi madrasah menjadi sarana informasi yang bermanfaat dan akurat bagi keluarga besar "
        "madrasah. Tata tertib ini mengikat seluruh guru dan pegawai yang menjadi anggota grup resmi. Unggahan yang "
        "melanggar UU ITE—pelecehan, pornoaksi, hoaks, atau pencemaran nama baik—tidak ditoleransi.\n"
        "Anggota yang melanggar menerima Surat Peringatan (SP) paling banyak dua kali. Bila masih mengulang setelah "
        "SP kedua, admin mengeluarkannya dari grup.\n"
        "Guru dan pegawai tetap boleh membuat grup lain yang tidak resmi untuk obrolan santai, terpisah dari grup "
        "resmi ini."
    ),
    rules=(
        TemplateRule("1", C.OTHER, K.RECOMMENDATION, S.LOW,
                     "Gunakan grup resmi hanya untuk informasi penting, berbagi ilmu, motivasi, dan pencerahan.", WA),
        TemplateRule("2", C.HOAX, K.PROHIBITION, S.HIGH,
                     "Dilarang meneruskan kabar bohong (hoaks) atau tulisan yang mencemarkan nama baik orang lain. "
                     "Saring dulu sumber dan kebenarannya sebelum berbagi.", WA),
        TemplateRule("3", C.PORNOGRAPHY, K.PROHIBITION, S.HIGH,
                     "Dilarang mengirim konten berbau pornografi dalam bentuk apa pun, baik gambar, video, maupun "
                     "tulisan.", WA),
        TemplateRule("4", C.HARASSMENT, K.PROHIBITION, S.MEDIUM,
                     "Dilarang mengirim stiker, gambar, animasi, atau video pejabat untuk hiburan atau yang "
                     "merendahkan pejabat tersebut.", WA),
        TemplateRule("5", C.POLITICS, K.PROHIBITION, S.HIGH,
                     "Dilarang membahas politik praktis di grup resmi, termasuk mengajak memilih atau menolak calon "
                     "tertentu.", WA),
        TemplateRule("6", C.SARA, K.PROHIBITION, S.HIGH,
                     "Dilarang mengangkat isu suku, agama, ras, dan antargolongan (SARA).", WA),
        TemplateRule("7", C.HARASSMENT, K.PROHIBITION, S.HIGH,
                     "Dilarang melecehkan, mengejek, atau menyerang pribadi maupun kelompok.", WA),
        TemplateRule("8", C.ETIQUETTE, K.RECOMMENDATION, S.LOW,
                     "Jaga etika dan sopan santun dalam setiap pesan; gunakan bahasa yang santun dan hormati sesama "
                     "anggota.", WA),
        TemplateRule("9", C.OTHER, K.PERMISSION, S.LOW,
                     "Anggota boleh mempromosikan produk, misalnya hasil usaha sendiri, di grup resmi.", WA),
    ),
    institution_kinds=(Institution.Kind.MADRASAH,),
)

KEMENAG_NEUTRALITY = CodeTemplate(
    key="kemenag_neutrality",
    name=_("Kemenag: neutrality in WhatsApp groups"),
    description=_(
        "Election neutrality of civil servants in the office's WhatsApp groups: the groups are never a campaign "
        "tool, and extra care near voting day. A verbal reprimand first, then a written one."
    ),
    title="Netralitas ASN di Grup WhatsApp Kementerian Agama",
    source_note=(
        "Disusun dari berita Kantor Kementerian Agama Kota Banjarbaru tentang apel pembinaan ASN, \"Jangan jadikan "
        "Grup WhatsApp Kemenag sarana kampanye\", Senin, 30 November 2020."
    ),
    preamble=(
        "Grup WhatsApp keluarga besar Kementerian Agama adalah sarana komunikasi dan kerukunan, bukan sarana "
        "kampanye. ASN dan pegawai menjaga netralitas agar kepercayaan masyarakat kepada Kementerian Agama tetap "
        "terjaga.\n"
        "Anggota grup yang mengunggah hal bersifat politis ditegur secara lisan, lalu secara tertulis bila "
        "mengulanginya. Unggahan yang mengandung unsur kampanye dapat berakibat berat bagi ASN yang bersangkutan."
    ),
    rules=(
        TemplateRule("1", C.POLITICS, K.PROHIBITION, S.HIGH,
                     "Dilarang menjadikan grup WhatsApp kantor sebagai sarana kampanye peserta pemilu atau pilkada.", WA),
        TemplateRule("2", C.POLITICS, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah atau meneruskan materi yang mendukung, mempromosikan, atau menjatuhkan "
                     "pasangan calon, calon anggota legislatif, atau partai politik."),
        TemplateRule("3", C.POLITICS, K.PROHIBITION, S.MEDIUM,
                     "Dilarang mengunggah konten bernuansa politik praktis, terlebih menjelang hari pemungutan suara "
                     "dan selama masa tenang."),
        TemplateRule("4", C.POLITICS, K.RECOMMENDATION, S.MEDIUM,
                     "Berhati-hatilah dengan pernyataan yang dapat ditafsirkan sebagai keberpihakan politik; bila ragu, "
                     "jangan unggah."),
        TemplateRule("5", C.ETIQUETTE, K.RECOMMENDATION, S.LOW,
                     "Gunakan grup untuk mempererat komunikasi dan kerukunan; hindari membentuk kubu yang menjauhkan "
                     "anggota satu dengan yang lain.", WA),
    ),
    institution_kinds=(Institution.Kind.DISTRICT_OFFICE,),
)

PEMASYARAKATAN = CodeTemplate(
    key="pemasyarakatan",
    name=_("Pemasyarakatan: social media ethics"),
    description=_(
        "The eight points of social media ethics for Pemasyarakatan civil servants: hate speech, SARA, spreading "
        "or liking hate speech, misleading news, state symbols, exempted security information, live streaming "
        "in uniform, and sanctions under the Pemasyarakatan code of ethics."
    ),
    title="Etika Media Sosial ASN Pemasyarakatan",
    source_note=(
        "Disusun dari daftar \"Etika Media Sosial\" dalam berita \"Rutan Kudus Turut Andil Dalam Penguatan "
        "Kehumasan\", 7 Februari 2025, tentang penguatan kehumasan Direktorat Jenderal Pemasyarakatan."
    ),
    preamble=(
        "Larangan berikut berlaku bagi setiap ASN di lingkungan Pemasyarakatan, di akun pribadi maupun akun "
        "kedinasan, dan untuk setiap bentuk unggahan: teks, gambar, suara, atau video."
    ),
    rules=(
        TemplateRule("1", C.HATE_SPEECH, K.PROHIBITION, S.HIGH,
                     "Dilarang menyampaikan pendapat yang berisi ujaran kebencian terhadap Pancasila, UUD 1945, "
                     "Bhinneka Tunggal Ika, NKRI, atau pemerintah."),
        TemplateRule("2", C.SARA, K.PROHIBITION, S.HIGH,
                     "Dilarang menyampaikan pendapat yang berisi ujaran kebencian terhadap suku, agama, ras, atau "
                     "golongan tertentu."),
        TemplateRule("3", C.HATE_SPEECH, K.PROHIBITION, S.HIGH,
                     "Dilarang ikut menyebarkan atau mendukung ujaran kebencian seperti pada butir 1 dan 2, termasuk "
                     "dengan membagikan, menyiarkan, mengunggah ulang, memberi tanda suka atau tidak suka, maupun "
                     "berkomentar setuju."),
        TemplateRule("4", C.HOAX, K.PROHIBITION, S.HIGH,
                     "Dilarang memberitakan atau menyebarkan kabar yang menyesatkan atau tidak dapat "
                     "dipertanggungjawabkan."),
        TemplateRule("5", C.STATE_SYMBOLS, K.PROHIBITION, S.HIGH,
                     "Dilarang melecehkan simbol negara—bendera, lagu kebangsaan, bahasa, dan lambang negara—melalui "
                     "media sosial."),
        TemplateRule("6", C.CONFIDENTIAL, K.PROHIBITION, S.HIGH,
                     "Dilarang merekam dan menyebarkan informasi yang dikecualikan, terutama yang berkaitan dengan "
                     "keamanan dan ketertiban di lingkungan Pemasyarakatan."),
        TemplateRule("7", C.LIVE_IN_UNIFORM, K.PROHIBITION, S.MEDIUM,
                     "Dilarang melakukan siaran langsung di media sosial dengan mengenakan pakaian dinas untuk materi "
                     "yang tidak berkaitan dengan kedinasan, pada jam dinas maupun di luar jam dinas."),
        TemplateRule("8", C.OTHER, K.SANCTION, S.MEDIUM,
                     "Pelanggaran atas etika bermedia sosial ini dapat dikenai sanksi sesuai Kode Etik "
                     "Pemasyarakatan."),
    ),
    institution_kinds=(Institution.Kind.CORRECTIONAL_UNIT,),
)

DJPB = CodeTemplate(
    key="djpb",
    name=_("DJPb: wise use of social media"),
    description=_(
        "Recommendations (fitting language, useful content, no flame wars, check photos for confidential "
        "papers and slides, verify before sharing) and prohibitions (hoaxes, pornography, SARA, partisanship, "
        "confidential information, showy official travel, the office's name in personal account names)."
    ),
    title="Bijak Bermedia Sosial: Anjuran dan Larangan",
    source_note=(
        "Disusun dari artikel \"Bijak Bermedia Sosial\" di portal KPPN Sijunjung, Direktorat Jenderal "
        "Perbendaharaan (tanggal terbit tidak dicantumkan pada artikel; artikel adalah opini pribadi penulisnya)."
    ),
    preamble=(
        "Sebagai pegawai pemerintah, setiap tindakan di media sosial dijaga sesuai kode etik yang berlaku, di akun "
        "pribadi maupun saat mengelola akun kantor. Anjuran berikut sebaiknya dilakukan; larangan berikut "
        "dihindari."
    ),
    rules=(
        TemplateRule("A1", C.ETIQUETTE, K.RECOMMENDATION, S.LOW,
                     "Gunakan bahasa yang pantas dan menjunjung norma; hindari kata kasar, menyinggung, atau menyakiti "
                     "perasaan orang lain."),
        TemplateRule("A2", C.ETIQUETTE, K.RECOMMENDATION, S.LOW,
                     "Buat dan bagikan konten yang bermanfaat dan sesuai dengan khalayaknya."),
        TemplateRule("A3", C.ETIQUETTE, K.RECOMMENDATION, S.MEDIUM,
                     "Hindari debat dan perang komentar, kecuali untuk meluruskan hoaks, ujaran kebencian, atau kutipan "
                     "yang tidak utuh dengan data dan fakta yang akurat. Jangan melayani akun yang sengaja memancing "
                     "emosi (troll)."),
        TemplateRule("A4", C.CONFIDENTIAL, K.RECOMMENDATION, S.MEDIUM,
                     "Sebelum mengunggah kegiatan kantor, pastikan kegiatannya tidak rahasia atau tertutup dan tidak "
                     "ada informasi rahasia yang terlihat di papan tulis, salindia presentasi, catatan, atau dokumen "
                     "di dalam foto."),
        TemplateRule("A5", C.OTHER, K.RECOMMENDATION, S.LOW,
                     "Utamakan informasi yang bersumber dari akun resmi instansi."),
        TemplateRule("A6", C.HOAX, K.RECOMMENDATION, S.MEDIUM,
                     "Periksa sumber sebelum membagikan informasi; bila ragu, jangan bagikan. Utamakan tepat daripada "
                     "cepat, dan pastikan narasi sesuai dengan foto atau videonya."),
        TemplateRule("A7", C.CONFIDENTIAL, K.RECOMMENDATION, S.LOW,
                     "Dalam aplikasi percakapan, kirim dokumen sebagai berkas (misalnya PDF, PPTX, DOC), bukan foto; "
                     "lindungi berkas yang sangat rahasia dengan kata sandi."),
        TemplateRule("L1", C.HOAX, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah atau membagikan konten hoaks."),
        TemplateRule("L2", C.PORNOGRAPHY, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah, menyukai, atau membagikan konten pornografi."),
        TemplateRule("L3", C.SARA, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah, menyukai, atau membagikan konten radikalisme, terorisme, pelecehan, "
                     "diskriminasi, dukungan terhadap LGBT, atau isu suku, agama, ras, dan antargolongan (SARA)."),
        TemplateRule("L4", C.POLITICS, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah konten yang menunjukkan keberpihakan politik atau dukungan dalam pemilihan "
                     "kepala daerah, pemilu legislatif, maupun pemilu presiden."),
        TemplateRule("L5", C.CONFIDENTIAL, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah informasi rahasia pekerjaan atau negara, atau informasi yang belum "
                     "diumumkan resmi oleh pihak berwenang, termasuk kebijakan yang sedang disusun instansi."),
        TemplateRule("L6", C.OFFICIAL_TRAVEL, K.PROHIBITION, S.MEDIUM,
                     "Selama perjalanan dinas, dilarang mengunggah hal yang dapat dikesankan sebagai pemborosan APBN."),
        TemplateRule("L7", C.ACCOUNT_NAMING, K.PROHIBITION, S.LOW,
                     "Dilarang memakai nama instansi atau kata yang mirip dalam nama akun pribadi; tempat kerja cukup "
                     "dicantumkan di kolom profil."),
    ),
    institution_kinds=(Institution.Kind.TREASURY_OFFICE,),
)

OPD_ACCOUNTS = CodeTemplate(
    key="opd_accounts",
    name=_("Duties of OPD social media admins"),
    description=_(
        "For a regional agency's official accounts: a posting schedule with a daily target, every field's "
        "activities, information citizens need, checking content, source and truth before posting, and "
        "neutrality during campaigns on official and personal accounts."
    ),
    title="Tugas Admin Media Sosial Perangkat Daerah",
    source_note=(
        "Disusun dari pemberitaan pengarahan Pjs. Bupati OKU Timur kepada seluruh admin media sosial OPD di Ruang "
        "Media Center Pemkab OKU Timur, Rabu, 23 Oktober 2024 (koranokutimurpos.id)."
    ),
    preamble=(
        "Akun media sosial dan situs web perangkat daerah adalah saluran resmi pemerintah daerah kepada "
        "masyarakat. Admin media sosial menjalankan tugas berikut dan mencatat setiap unggahan di log publikasi "
        "beserta pemeriksaan sebelum terbit."
    ),
    rules=(
        TemplateRule("1", C.OTHER, K.RECOMMENDATION, S.MEDIUM,
                     "Jaga akun tetap aktif dan informatif: tetapkan jadwal unggahan, termasuk berapa unggahan setiap "
                     "hari, lalu penuhi target itu.", ACCOUNTS),
        TemplateRule("2", C.OTHER, K.RECOMMENDATION, S.LOW,
                     "Unggah kegiatan semua bidang di perangkat daerah, bukan hanya kegiatan pimpinan.", ACCOUNTS),
        TemplateRule("3", C.OTHER, K.RECOMMENDATION, S.LOW,
                     "Utamakan informasi yang langsung berguna bagi warga: bantuan, pelayanan publik, kegiatan yang "
                     "menyentuh masyarakat, dan rencana pembangunan daerah.", ACCOUNTS),
        TemplateRule("4", C.HOAX, K.RECOMMENDATION, S.HIGH,
                     "Sebelum mengunggah, periksa isi, sumber, dan kebenaran konten.", ACCOUNTS),
        TemplateRule("5", C.HOAX, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah hoaks, konten provokatif, atau informasi yang terindikasi penipuan.", ACCOUNTS),
        TemplateRule("6", C.POLITICS, K.PROHIBITION, S.HIGH,
                     "Dilarang mengunggah konten yang menunjukkan keberpihakan kepada calon mana pun, terlebih selama "
                     "masa kampanye. Netralitas berlaku di akun pemerintah maupun akun pribadi ASN."),
        TemplateRule("7", C.ETIQUETTE, K.PERMISSION, S.LOW,
                     "ASN boleh berbeda pandangan, selama tetap mematuhi aturan dan ketentuan yang berlaku."),
    ),
    institution_kinds=(Institution.Kind.AGENCY, Institution.Kind.LOCAL_GOVERNMENT),
)

TEMPLATES: dict[str, CodeTemplate] = {
    template.key: template
    for template in (MADRASAH_WA_GROUP, KEMENAG_NEUTRALITY, PEMASYARAKATAN, DJPB, OPD_ACCOUNTS)
}


def suggested_for(institution: Institution) -> CodeTemplate | None:
    for template in TEMPLATES.values():
        if institution.kind in template.institution_kinds:
            return template
    return None
