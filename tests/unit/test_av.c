/*
 * Unit tests for src/media/av.c and the audio and video path of media.c
 * (issue 14): each format the library takes is recognised from a tiny
 * sample, built here byte by byte as its specification lays it out (MP3
 * and ADTS frames of silence, an M4A ftyp, Ogg pages with their CRC, a
 * PCM WAV, a FLAC STREAMINFO) or recorded by Chromium's MediaRecorder
 * (tests/fixtures/media/clip.mp4, clip.webm); each refusal is named: a
 * PDF called .mp3, a lone MPEG frame header followed by other bytes, a
 * Matroska or QuickTime file, an Ogg stream of an unknown codec, a file
 * over media_upload_limit. media_make writes an audio file once as
 * media/HASH.EXT (no original copy, no variants) and media_remove takes it.
 */
#include "../../src/media/av.h"
#include "../../src/media/media.h"
#include "../../src/util/pool.h"
#include "t.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- samples ---- */

struct sample {
	unsigned char d[4096];
	size_t n;
};

static void put(struct sample *s, const void *b, size_t n)
{
	memcpy(s->d + s->n, b, n);
	s->n += n;
}

static void zeros(struct sample *s, size_t n)
{
	memset(s->d + s->n, 0, n);
	s->n += n;
}

static void le(struct sample *s, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		s->d[s->n++] = (unsigned char)(v >> (8 * i));
}

/* Two MPEG-1 Layer III frames, 128 kb/s at 44.1 kHz (417 bytes each):
 * all-zero side information, which decodes as silence. */
static void mp3_frames(struct sample *s)
{
	for (int i = 0; i < 2; i++) {
		put(s, "\xff\xfb\x90\x00", 4);
		zeros(s, 417 - 4);
	}
}

/* An ID3v2.3 tag of 20 bytes (a TIT2 frame), then the frames. */
static void mp3_id3(struct sample *s)
{
	put(s, "ID3\x03\x00\x00\x00\x00\x00\x14", 10);
	put(s, "TIT2\x00\x00\x00\x06\x00\x00\x00Hello", 16);
	zeros(s, 4);
	mp3_frames(s);
}

/* Two ADTS frames of AAC LC, 44.1 kHz stereo, 16 bytes each. */
static void aac_frames(struct sample *s)
{
	for (int i = 0; i < 2; i++) {
		put(s, "\xff\xf1\x50\x80\x02\x1f\xfc", 7);
		zeros(s, 9);
	}
}

static void m4a(struct sample *s)
{
	put(s, "\x00\x00\x00\x18" "ftypM4A \x00\x00\x02\x00" "M4A isom", 24);
	put(s, "\x00\x00\x00\x08" "mdat", 8);
}

/* Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0). */
static uint32_t ogg_crc(const unsigned char *d, size_t n)
{
	uint32_t c = 0;
	for (size_t i = 0; i < n; i++) {
		c ^= (uint32_t)d[i] << 24;
		for (int k = 0; k < 8; k++)
			c = c & 0x80000000u ? c << 1 ^ 0x04c11db7u : c << 1;
	}
	return c;
}

/* One Ogg page holding packet pk[0..n) (n < 255), its CRC filled in. */
static void ogg_page(struct sample *s, int bos, uint32_t serial, uint32_t seq, const void *pk,
		     size_t n)
{
	size_t start = s->n;
	put(s, "OggS", 4);
	s->d[s->n++] = 0;
	s->d[s->n++] = bos ? 2 : 0;
	zeros(s, 8); /* granule position */
	le(s, serial, 4);
	le(s, seq, 4);
	zeros(s, 4); /* the CRC, below */
	s->d[s->n++] = 1;
	s->d[s->n++] = (unsigned char)n;
	put(s, pk, n);
	uint32_t c = ogg_crc(s->d + start, s->n - start);
	for (int i = 0; i < 4; i++)
		s->d[start + 22 + i] = (unsigned char)(c >> (8 * i));
}

static void ogg_vorbis(struct sample *s)
{
	/* identification header: version 0, 1 channel, 44100 Hz, nominal 64 kb/s,
	 * block sizes 256/2048, framing bit */
	static const unsigned char id[30] = {
		1, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 1, 0x44, 0xac, 0, 0,
		0, 0, 0, 0, 0x00, 0xfa, 0, 0, 0, 0, 0, 0, 0xb8, 1,
	};
	ogg_page(s, 1, 7, 0, id, sizeof id);
	ogg_page(s, 0, 7, 1, "\x03vorbis", 7);
}

static void ogg_opus(struct sample *s)
{
	/* OpusHead: version 1, 1 channel, pre-skip 312, 48000 Hz, gain 0, family 0 */
	static const unsigned char head[19] = { 'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1,
						0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0 };
	ogg_page(s, 1, 9, 0, head, sizeof head);
	ogg_page(s, 0, 9, 1, "OpusTags\x00\x00\x00\x00\x00\x00\x00\x00", 16);
}

static void ogg_theora(struct sample *s)
{
	unsigned char id[42] = { 0x80, 't', 'h', 'e', 'o', 'r', 'a', 3, 2, 1 };
	ogg_page(s, 1, 5, 0, id, sizeof id);
	ogg_page(s, 0, 5, 1, "\x81theora", 7);
}

/* 8 kHz mono 16-bit PCM, four samples of silence. */
static void wav(struct sample *s)
{
	put(s, "RIFF", 4);
	le(s, 36 + 8, 4);
	put(s, "WAVEfmt ", 8);
	le(s, 16, 4);
	le(s, 1, 2);     /* PCM */
	le(s, 1, 2);     /* mono */
	le(s, 8000, 4);  /* rate */
	le(s, 16000, 4); /* bytes per second */
	le(s, 2, 2);     /* block align */
	le(s, 16, 2);    /* bits */
	put(s, "data", 4);
	le(s, 8, 4);
	zeros(s, 8);
}

/* fLaC and its STREAMINFO (last block): 4096-sample blocks, 44.1 kHz, mono,
 * 16 bits, no samples, no MD5. */
static void flac(struct sample *s)
{
	put(s, "fLaC\x80\x00\x00\x22", 8);
	put(s, "\x10\x00\x10\x00\x00\x00\x00\x00\x00\x00\x0a\xc4\x40\xf0", 14);
	zeros(s, 4 + 16);
}

static void read_fixture(struct sample *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	s->n = fread(s->d, 1, sizeof s->d, f);
	CHECK(feof(f)); /* the whole file fits */
	fclose(f);
}

/* ---- tests ---- */

static void want(const struct sample *s, enum av_kind kind, const char *mime, const char *ext,
		 const char *what)
{
	struct av_info ai;
	int rc = av_sniff(s->d, s->n, &ai);
	if (rc != 0)
		fprintf(stderr, "  %s: not recognised\n", what);
	CHECK(rc == 0);
	CHECK(ai.kind == kind);
	CHECK_STR(ai.mime, mime);
	CHECK_STR(ai.ext, ext);
}

static void test_each_format(void)
{
	static const struct {
		void (*make)(struct sample *);
		enum av_kind kind;
		const char *mime, *ext, *what;
	} cases[] = {
		{ mp3_frames, AV_AUDIO, "audio/mpeg", "mp3", "MP3" },
		{ mp3_id3, AV_AUDIO, "audio/mpeg", "mp3", "MP3 with ID3" },
		{ aac_frames, AV_AUDIO, "audio/aac", "aac", "ADTS AAC" },
		{ m4a, AV_AUDIO, "audio/mp4", "m4a", "M4A" },
		{ ogg_vorbis, AV_AUDIO, "audio/ogg", "ogg", "Ogg Vorbis" },
		{ ogg_opus, AV_AUDIO, "audio/ogg", "opus", "Ogg Opus" },
		{ wav, AV_AUDIO, "audio/wav", "wav", "WAV" },
		{ flac, AV_AUDIO, "audio/flac", "flac", "FLAC" },
		{ ogg_theora, AV_VIDEO, "video/ogg", "ogv", "Ogg Theora" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sample s = { .n = 0 };
		cases[i].make(&s);
		want(&s, cases[i].kind, cases[i].mime, cases[i].ext, cases[i].what);
	}
	struct sample mp4 = { .n = 0 }, webm = { .n = 0 };
	read_fixture(&mp4, "tests/fixtures/media/clip.mp4");
	read_fixture(&webm, "tests/fixtures/media/clip.webm");
	want(&mp4, AV_VIDEO, "video/mp4", "mp4", "MP4 (MediaRecorder)");
	want(&webm, AV_VIDEO, "video/webm", "webm", "WebM (MediaRecorder)");
}

/* What media_check_any says about s (av_limit 1 MB). */
static enum media_err judge(struct pool *p, const struct sample *s, long limit, char *err,
			    size_t errlen, struct media_input *in)
{
	err[0] = '\0';
	return media_check_any(p, s->d, s->n, "upload.mp3", limit, in, err, errlen);
}

static void test_refusals(void)
{
	struct pool *p = pool_new();
	struct media_input in;
	char err[512];
	struct av_info ai;
	struct sample s = { .n = 0 };

	/* a PDF named .mp3: the name is not read */
	put(&s, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n", 35);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_NOT_IMAGE);
	CHECK_CONTAINS(err, "this file is a PDF document");
	CHECK_CONTAINS(err, "its content was checked, not its name");

	/* an MP3 frame header followed by anything but a second frame */
	s.n = 0;
	put(&s, "\xff\xfb\x90\x00", 4);
	for (int i = 0; i < 900; i++)
		s.d[s.n++] = 'x';
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_NOT_IMAGE);
	/* and one cut short of its own length */
	s.n = 0;
	mp3_frames(&s);
	s.n = 300;
	CHECK(av_sniff(s.d, s.n, &ai) == -1);

	/* Matroska and QuickTime: containers browsers do not all play */
	s.n = 0;
	put(&s, "\x1a\x45\xdf\xa3\x8b\x42\x82\x88matroska", 16);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_NOT_IMAGE);
	CHECK_CONTAINS(err, "a Matroska video");
	s.n = 0;
	put(&s, "\x00\x00\x00\x14" "ftypqt  \x00\x00\x02\x00" "qt  ", 20);
	put(&s, "\x00\x00\x00\x08" "wide", 8);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_NOT_IMAGE);
	CHECK_CONTAINS(err, "a QuickTime movie");

	/* an Ogg stream of a codec we do not know */
	s.n = 0;
	ogg_page(&s, 1, 3, 0, "Speex   \x31\x2e\x32", 11);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_NOT_IMAGE);
	CHECK_CONTAINS(err, "an Ogg file of a codec browsers do not play");

	/* a WAV without its fmt chunk, a FLAC without STREAMINFO */
	s.n = 0;
	put(&s, "RIFF\x10\x00\x00\x00WAVEdata\x04\x00\x00\x00\x00\x00\x00\x00", 24);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);
	s.n = 0;
	put(&s, "fLaC\x84\x00\x00\x22", 8);
	zeros(&s, 34);
	CHECK(av_sniff(s.d, s.n, &ai) == -1);

	/* an empty file; plain text */
	CHECK(media_check_any(p, (const unsigned char *)"", 0, "a.mp3", 1 << 20, &in, err,
			      sizeof err) == MEDIA_NOT_IMAGE);
	CHECK_CONTAINS(err, "the file is empty");
	CHECK(media_check_any(p, (const unsigned char *)"hello world, not a song", 23, "a.mp3",
			      1 << 20, &in, err, sizeof err) == MEDIA_NOT_IMAGE);

	/* over media_upload_limit */
	s.n = 0;
	mp3_frames(&s);
	CHECK(judge(p, &s, 500, err, sizeof err, &in) == MEDIA_TOO_LARGE);
	CHECK_CONTAINS(err, "the limit for audio and video is 500 bytes (media_upload_limit)");

	/* the picture-only check still refuses audio */
	CHECK(media_check(p, s.d, s.n, "a.mp3", &in, err, sizeof err) == MEDIA_NOT_IMAGE);
	pool_free(p);
}

static void test_accepted_input(void)
{
	struct pool *p = pool_new();
	struct media_input in, again;
	char err[512];
	struct sample s = { .n = 0 };
	ogg_opus(&s);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_OK);
	CHECK(in.kind == MEDIA_KIND_AUDIO);
	CHECK_STR(in.mime, "audio/ogg");
	CHECK_STR(in.ext, "opus");
	CHECK_STR(in.name, "upload.mp3"); /* the name given, for people: not its type */
	CHECK(strlen(in.hash) == MEDIA_HASH_HEX);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &again) == MEDIA_OK);
	CHECK_STR(again.hash, in.hash); /* the same bytes, the same name */
	CHECK(media_kind_of("audio/ogg") == MEDIA_KIND_AUDIO);
	CHECK(media_kind_of("video/webm") == MEDIA_KIND_VIDEO);
	CHECK(media_kind_of("image/jpeg") == MEDIA_KIND_PICTURE);
	CHECK(media_is_variant("0123456789abcdef.opus"));
	CHECK(media_is_variant("0123456789abcdef.mp4"));
	CHECK(!media_is_variant("0123456789abcdef.html"));
	CHECK(!media_is_variant("0123456789abcde.mp4"));
	CHECK_STR(av_type_of_ext("flac"), "audio/flac");
	CHECK(av_type_of_ext("exe") == NULL);
	pool_free(p);
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_make_and_remove(void)
{
	struct pool *p = pool_new();
	struct media_input in;
	struct media_made made;
	char err[512], dir[] = "/tmp/gz-av-XXXXXX";
	struct sample s = { .n = 0 };
	CHECK(mkdtemp(dir) != NULL);
	wav(&s);
	CHECK(judge(p, &s, 1 << 20, err, sizeof err, &in) == MEDIA_OK);
	CHECK(media_make(p, dir, &in, &made, err, sizeof err) == MEDIA_OK);
	CHECK(made.nv == 0 && made.formats == 0);
	const char *file = pool_printf(p, "%s/media/%s.wav", dir, in.hash);
	FILE *f = fopen(file, "rb");
	unsigned char back[256];
	size_t got = f ? fread(back, 1, sizeof back, f) : 0;
	if (f)
		fclose(f);
	CHECK(got == s.n && memcmp(back, s.d, s.n) == 0); /* as it came */
	CHECK(count_files(pool_printf(p, "%s/media", dir)) == 1);
	CHECK(count_files(pool_printf(p, "%s/" MEDIA_ORIGINALS, dir)) == 0);
	media_remove(p, dir, in.hash, in.ext, &made);
	CHECK(count_files(pool_printf(p, "%s/media", dir)) == 0);
	rmdir(pool_printf(p, "%s/media", dir));
	rmdir(pool_printf(p, "%s/" MEDIA_ORIGINALS, dir));
	CHECK(rmdir(dir) == 0);
	pool_free(p);
}

int main(void)
{
	RUN(test_each_format);
	RUN(test_refusals);
	RUN(test_accepted_input);
	RUN(test_make_and_remove);
	return T_DONE();
}
