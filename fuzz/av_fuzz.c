/*
 * av_fuzz: libFuzzer target for src/media/av.c, the audio and video
 * container sniffer that judges every file uploaded to the media library.
 *
 * On every input (copied to a buffer of exactly its size, so ASan catches
 * a read past the end): av_sniff never reads past n and, when it takes the
 * input, gives a kind that agrees with its MIME type, an extension that
 * names that same type (av_type_of_ext), and a name for messages;
 * av_other_kind and av_type_of_ext are total.
 *
 *   make fuzz-build && build-fuzz/av_fuzz fuzz/corpus/av
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/media/av.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *d = malloc(size ? size : 1);
	if (!d)
		return 0;
	memcpy(d, data, size);
	struct av_info ai;
	if (av_sniff(d, size, &ai) == 0) {
		const char *prefix = ai.kind == AV_AUDIO ? "audio/" : "video/";
		if ((ai.kind != AV_AUDIO && ai.kind != AV_VIDEO) || !ai.mime || !ai.ext || !ai.name ||
		    strncmp(ai.mime, prefix, 6) != 0)
			abort();
		const char *back = av_type_of_ext(ai.ext);
		if (!back || strcmp(back, ai.mime) != 0)
			abort();
	} else if (ai.kind != AV_NONE || ai.mime) {
		abort(); /* a refusal leaves nothing filled in */
	}
	(void)av_other_kind(d, size);
	free(d);
	return 0;
}
