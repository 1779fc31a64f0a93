/*
 * Files built into the program (cmake/hw_embed.cmake): the coordinator's
 * workspace (daemon/web/: index.html, app.js, app.css) and the OpenAPI schemas
 * (daemon/api/schemas.json). Each is its bytes followed by a NUL, so a text
 * asset is also a C string.
 */
#ifndef HW_ASSETS_H
#define HW_ASSETS_H

#include <stddef.h>

typedef struct hw_asset {
  const char *name;                /* path relative to its folder: "app.js" */
  const unsigned char *data;       /* len bytes, then a NUL */
  size_t len;
} hw_asset;

extern const hw_asset hw_assets[];
extern const int hw_n_assets;

/* The asset called name, or NULL. */
const hw_asset *hw_asset_find(const char *name);

#endif
