/*
 * av: what an uploaded audio or video file is, decided by its first bytes
 * (the container's signature), never by its name or the type the client
 * claimed (issue 14). Nothing is decoded or transcoded: a file taken is
 * served as it came, so the check is only that its container is one that
 * browsers play in <audio> or <video>.
 *
 *   MP3      an MPEG-1/2/2.5 Layer III frame (after an ID3v2 tag or not),
 *            checked against the frame that follows it
 *   AAC      ADTS frames (raw AAC, .aac), checked the same way
 *   M4A      an ISO base media file whose brand is M4A / M4B
 *   Ogg      Ogg pages whose first streams are Vorbis or Opus (audio), or
 *            Theora or VP8 (video)
 *   WAV      RIFF WAVE with its fmt chunk
 *   FLAC     fLaC with its STREAMINFO block
 *   MP4      an ISO base media file of an MP4 brand (isom, mp41, mp42, ...)
 *   WebM     EBML whose DocType is "webm"
 */
#ifndef GZ_AV_H
#define GZ_AV_H

#include <stddef.h>

enum av_kind { AV_NONE, AV_AUDIO, AV_VIDEO };

struct av_info {
	enum av_kind kind;
	const char *mime; /* "audio/mpeg", "video/mp4" ... as served */
	const char *ext;  /* "mp3", "mp4" ...: the stored file's extension */
	const char *name; /* "an MP3 file", for messages */
};

/* 0 and *out when d[0..n) starts as one of the formats above; -1 else. */
int av_sniff(const unsigned char *d, size_t n, struct av_info *out);

/* What a media file we do not take seems to be ("a QuickTime movie", "a
 * Matroska video", "an AVI video"), for a message; NULL when unknown. */
const char *av_other_kind(const unsigned char *d, size_t n);

/* The MIME type of a stored audio or video file's extension ("opus" ->
 * "audio/ogg"), NULL when it is none of ours. */
const char *av_type_of_ext(const char *ext);

#endif
