/*
 * av: recognising audio and video containers by their bytes (see av.h).
 *
 * Design decision: a signature alone is a few bytes any file can start
 * with, so each format is checked one structure further than its magic
 * number: an MP3 or AAC frame header must be valid and be followed by a
 * second valid one exactly where its length says (or by the end of the
 * file), an Ogg stream's first packet must name its codec, an MP4's ftyp
 * box must fit and carry a brand browsers play, a WebM's EBML header must
 * say "webm", a WAV must hold its fmt chunk and a FLAC its STREAMINFO.
 * Every read is bounded by n: the sniffer is fed whatever was uploaded.
 */
#include "av.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define SCAN_MAX 4096 /* bytes looked through for a chunk or box */

static const struct av_info FORMATS[] = {
#define F_MP3 0
	{ AV_AUDIO, "audio/mpeg", "mp3", "an MP3 file" },
#define F_AAC 1
	{ AV_AUDIO, "audio/aac", "aac", "an AAC file" },
#define F_M4A 2
	{ AV_AUDIO, "audio/mp4", "m4a", "an M4A file" },
#define F_VORBIS 3
	{ AV_AUDIO, "audio/ogg", "ogg", "an Ogg Vorbis file" },
#define F_OPUS 4
	{ AV_AUDIO, "audio/ogg", "opus", "an Ogg Opus file" },
#define F_WAV 5
	{ AV_AUDIO, "audio/wav", "wav", "a WAV file" },
#define F_FLAC 6
	{ AV_AUDIO, "audio/flac", "flac", "a FLAC file" },
#define F_MP4 7
	{ AV_VIDEO, "video/mp4", "mp4", "an MP4 video" },
#define F_WEBM 8
	{ AV_VIDEO, "video/webm", "webm", "a WebM video" },
#define F_OGV 9
	{ AV_VIDEO, "video/ogg", "ogv", "an Ogg video" },
};

static uint32_t be32(const unsigned char *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

static uint32_t le32(const unsigned char *d)
{
	return (uint32_t)d[3] << 24 | (uint32_t)d[2] << 16 | (uint32_t)d[1] << 8 | d[0];
}

static int found(int f, struct av_info *out)
{
	*out = FORMATS[f];
	return 0;
}

/* ---- MPEG audio (MP3) and ADTS (AAC) frames ---- */

/* The length of the MPEG-1/2/2.5 Layer III frame at d, 0 when d does not
 * start one (free bitrate is refused: its length is not in the header). */
static size_t mp3_frame(const unsigned char *d, size_t n)
{
	static const unsigned short kbps[2][15] = {
		{ 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 },
		{ 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
	};
	static const unsigned rates[3] = { 44100, 48000, 32000 };
	if (n < 4 || d[0] != 0xff || (d[1] & 0xe0) != 0xe0)
		return 0;
	unsigned version = (d[1] >> 3) & 3, layer = (d[1] >> 1) & 3;
	unsigned bi = d[2] >> 4, si = (d[2] >> 2) & 3, pad = (d[2] >> 1) & 1;
	if (version == 1 || layer != 1 || bi == 0 || bi == 15 || si == 3)
		return 0;
	int v1 = version == 3;
	unsigned rate = rates[si] >> (v1 ? 0 : version == 2 ? 1 : 2);
	return (size_t)((v1 ? 144000u : 72000u) * kbps[!v1][bi] / rate + pad);
}

/* The length of the ADTS frame at d, 0 when d does not start one. */
static size_t adts_frame(const unsigned char *d, size_t n)
{
	if (n < 7 || d[0] != 0xff || (d[1] & 0xf6) != 0xf0 || ((d[2] >> 2) & 0xf) > 12)
		return 0;
	size_t len = (size_t)(d[3] & 3) << 11 | (size_t)d[4] << 3 | d[5] >> 5;
	return len >= 7 ? len : 0;
}

/* 1 when d[0..n) starts with a frame of this kind that the file ends
 * after or a second such frame follows. */
static int frames(const unsigned char *d, size_t n, size_t (*frame)(const unsigned char *, size_t))
{
	size_t len = frame(d, n);
	if (!len || len > n)
		return 0;
	return len == n || frame(d + len, n - len) != 0;
}

/* The offset past an ID3v2 tag at d (and zero padding after it), 0 when
 * there is none. */
static size_t id3_skip(const unsigned char *d, size_t n)
{
	if (n < 10 || memcmp(d, "ID3", 3) != 0 || d[3] < 2 || d[3] > 4 ||
	    (d[6] | d[7] | d[8] | d[9]) & 0x80)
		return 0;
	size_t off = 10 + ((size_t)d[6] << 21 | (size_t)d[7] << 14 | (size_t)d[8] << 7 | d[9]);
	if (d[5] & 0x10)
		off += 10; /* a footer */
	for (size_t k = 0; off < n && d[off] == 0 && k < SCAN_MAX; k++)
		off++;
	return off;
}

/* ---- ISO base media (MP4, M4A) ---- */

static int brand_in(const unsigned char *b, const char *const *list)
{
	for (; *list; list++)
		if (memcmp(b, *list, 4) == 0)
			return 1;
	return 0;
}

static int iso_bmff(const unsigned char *d, size_t n, struct av_info *out)
{
	static const char *const audio[] = { "M4A ", "M4B ", NULL };
	static const char *const video[] = { "isom", "iso2", "iso3", "iso4", "iso5", "iso6",
					     "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4",
					     "MSNV", NULL };
	if (n < 16 || memcmp(d + 4, "ftyp", 4) != 0)
		return -1;
	uint32_t size = be32(d);
	if (size < 16 || size > n || size > SCAN_MAX || size % 4)
		return -1;
	if (brand_in(d + 8, audio))
		return found(F_M4A, out);
	if (memcmp(d + 8, "qt  ", 4) == 0)
		return -1; /* QuickTime: not every browser plays it */
	if (brand_in(d + 8, video))
		return found(F_MP4, out);
	for (uint32_t i = 16; i + 4 <= size; i += 4) /* compatible brands */
		if (brand_in(d + i, video))
			return found(F_MP4, out);
	return -1;
}

/* ---- EBML (WebM) ---- */

/* An EBML variable-length integer at d[*off], its marker bit kept (an
 * element ID) or removed (a size). -1 when it does not fit. */
static int vint(const unsigned char *d, size_t n, size_t *off, int keep_marker, uint64_t *v)
{
	if (*off >= n || d[*off] == 0)
		return -1;
	unsigned len = 1;
	while (!(d[*off] & (0x80 >> (len - 1))))
		len++;
	if (len > 8 || *off + len > n)
		return -1;
	uint64_t x = keep_marker ? d[*off] : d[*off] & (0xffu >> len);
	for (unsigned i = 1; i < len; i++)
		x = x << 8 | d[*off + i];
	*off += len;
	*v = x;
	return 0;
}

/* The DocType of the EBML header at d into doctype (NUL-terminated), 0
 * or -1. */
static int ebml_doctype(const unsigned char *d, size_t n, char *doctype, size_t cap)
{
	size_t off = 0;
	uint64_t id, size;
	if (vint(d, n, &off, 1, &id) || id != 0x1a45dfa3 || vint(d, n, &off, 0, &size) ||
	    size > n - off || size > SCAN_MAX)
		return -1;
	size_t end = off + (size_t)size;
	while (off < end) {
		if (vint(d, end, &off, 1, &id) || vint(d, end, &off, 0, &size) || size > end - off)
			return -1;
		if (id == 0x4282) {
			if (size == 0 || size >= cap)
				return -1;
			memcpy(doctype, d + off, (size_t)size);
			doctype[size] = '\0';
			return 0;
		}
		off += (size_t)size;
	}
	return -1;
}

/* ---- Ogg ---- */

/* The codecs of the streams an Ogg file begins (its BOS pages): a video
 * one makes it video; Opus or Vorbis alone, audio. */
static int ogg(const unsigned char *d, size_t n, struct av_info *out)
{
	int video = 0, opus = 0, vorbis = 0;
	size_t off = 0;
	for (int page = 0; page < 8 && off + 27 <= n; page++) {
		const unsigned char *pg = d + off;
		if (memcmp(pg, "OggS", 4) != 0 || pg[4] != 0)
			return -1;
		if (!(pg[5] & 2))
			break; /* past the streams' first pages */
		size_t nseg = pg[26], body = 0;
		if (off + 27 + nseg > n)
			return -1;
		for (size_t i = 0; i < nseg; i++)
			body += pg[27 + i];
		const unsigned char *pk = pg + 27 + nseg;
		size_t avail = n - (off + 27 + nseg);
		if (body > avail)
			return -1;
		if (body >= 8 && memcmp(pk, "OpusHead", 8) == 0)
			opus = 1;
		else if (body >= 7 && memcmp(pk, "\x01vorbis", 7) == 0)
			vorbis = 1;
		else if ((body >= 7 && memcmp(pk, "\x80theora", 7) == 0) ||
			 (body >= 5 && memcmp(pk, "OVP80", 5) == 0))
			video = 1;
		else if (!(body >= 8 && memcmp(pk, "fishead", 8) == 0))
			return -1; /* a codec we do not know */
		off += 27 + nseg + body;
	}
	if (video)
		return found(F_OGV, out);
	if (vorbis)
		return found(F_VORBIS, out);
	return opus ? found(F_OPUS, out) : -1;
}

/* ---- RIFF WAVE and FLAC ---- */

static int wav(const unsigned char *d, size_t n)
{
	if (n < 20 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WAVE", 4) != 0)
		return 0;
	for (size_t off = 12; off + 8 <= n && off < SCAN_MAX;) {
		uint32_t len = le32(d + off + 4);
		if (memcmp(d + off, "fmt ", 4) == 0)
			return len >= 16 && off + 8 + len <= n;
		if (len > n)
			return 0;
		off += 8 + (size_t)len + (len & 1);
	}
	return 0;
}

static int flac(const unsigned char *d, size_t n)
{
	/* fLaC, then the STREAMINFO block (type 0, 34 bytes) */
	return n >= 42 && memcmp(d, "fLaC", 4) == 0 && (d[4] & 0x7f) == 0 && d[5] == 0 &&
	       d[6] == 0 && d[7] == 34;
}

int av_sniff(const unsigned char *d, size_t n, struct av_info *out)
{
	char doctype[16];
	memset(out, 0, sizeof *out);
	if (!d || n < 4)
		return -1;
	if (memcmp(d, "OggS", 4) == 0)
		return ogg(d, n, out);
	if (memcmp(d, "\x1a\x45\xdf\xa3", 4) == 0)
		return ebml_doctype(d, n, doctype, sizeof doctype) == 0 &&
				       strcmp(doctype, "webm") == 0
			       ? found(F_WEBM, out)
			       : -1;
	if (wav(d, n))
		return found(F_WAV, out);
	if (flac(d, n))
		return found(F_FLAC, out);
	if (iso_bmff(d, n, out) == 0)
		return 0;
	size_t off = id3_skip(d, n);
	if (off >= n)
		return -1;
	if (flac(d + off, n - off))
		return found(F_FLAC, out);
	if (frames(d + off, n - off, mp3_frame))
		return found(F_MP3, out);
	if (frames(d + off, n - off, adts_frame))
		return found(F_AAC, out);
	return -1;
}

const char *av_other_kind(const unsigned char *d, size_t n)
{
	char doctype[16];
	if (!d)
		return NULL;
	if (n >= 12 && memcmp(d + 4, "ftypqt  ", 8) == 0)
		return "a QuickTime movie";
	if (n >= 4 && memcmp(d, "\x1a\x45\xdf\xa3", 4) == 0 &&
	    ebml_doctype(d, n, doctype, sizeof doctype) == 0 && strcmp(doctype, "matroska") == 0)
		return "a Matroska video";
	if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "AVI ", 4) == 0)
		return "an AVI video";
	if (n >= 4 && memcmp(d, "OggS", 4) == 0)
		return "an Ogg file of a codec browsers do not play";
	return NULL;
}

const char *av_type_of_ext(const char *ext)
{
	for (size_t i = 0; ext && i < sizeof FORMATS / sizeof FORMATS[0]; i++)
		if (strcasecmp(ext, FORMATS[i].ext) == 0)
			return FORMATS[i].mime;
	return NULL;
}
