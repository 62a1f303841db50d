/*
 * gen_photo: writes a JPEG of W x H pixels for bench/media.sh, made with
 * libvips. "photo" is what a camera's file costs to decode and encode:
 * smooth shapes of colour (noise blown up) with a fine grain on top, at
 * quality 90; "noise" is every pixel random, the worst case for encoders.
 *   gen_photo OUT.jpg W H [photo|noise]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

static VipsImage *band(int w, int h, int noise)
{
	VipsImage *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
	if (noise) {
		vips_gaussnoise(&a, w, h, "sigma", 60.0, "mean", 128.0, NULL);
		return a;
	}
	vips_gaussnoise(&a, w / 40 + 1, h / 40 + 1, "sigma", 60.0, "mean", 128.0, NULL);
	vips_resize(a, &b, 40.0, "kernel", VIPS_KERNEL_LINEAR, NULL);
	vips_crop(b, &c, 0, 0, w, h, NULL);
	vips_gaussnoise(&d, w, h, "sigma", 6.0, "mean", 0.0, NULL);
	vips_add(c, d, &e, NULL);
	g_object_unref(a), g_object_unref(b), g_object_unref(c), g_object_unref(d);
	return e;
}

int main(int argc, char **argv)
{
	if (argc < 4 || VIPS_INIT(argv[0])) {
		fprintf(stderr, "usage: gen_photo OUT.jpg W H [photo|noise]\n");
		return 2;
	}
	int w = atoi(argv[2]), h = atoi(argv[3]);
	int noise = argc > 4 && strcmp(argv[4], "noise") == 0;
	VipsImage *bands[3], *rgb = NULL, *u = NULL, *s = NULL;
	for (int i = 0; i < 3; i++)
		bands[i] = band(w, h, noise);
	if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_cast_uchar(rgb, &u, NULL) ||
	    vips_copy(u, &s, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) ||
	    vips_jpegsave(s, argv[1], "Q", 90, NULL)) {
		fprintf(stderr, "gen_photo: %s\n", vips_error_buffer());
		return 1;
	}
	return 0;
}
