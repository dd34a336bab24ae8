// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The gem-sync authors
 */

/**
 * TEST: panfrost bo cache
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: CPU cache maintenance
 * Functionality: WB_MMAP export rule and SYNC_BO (panfrost 1.7)
 *
 * SUBTEST: wb-mmap-create
 * Description: WB_MMAP BOs are created as before; WB_MMAP with HEAP is
 *		-EINVAL.
 *
 * SUBTEST: wb-mmap-export
 * Description: Export of a WB_MMAP BO is -EINVAL on a GPU that is not
 *		IO-coherent and allowed on a coherent one; other BOs export.
 *
 * SUBTEST: sync-bo-ranges
 * Description: Valid ranges, a zero size and an empty batch succeed, on
 *		WB_MMAP and write-combined BOs.
 *
 * SUBTEST: sync-bo-errors
 * Description: Every documented errno of SYNC_BO.
 *
 * SUBTEST: sync-bo-imported
 * Description: SYNC_BO on an imported BO is -EINVAL.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>

#include "igt.h"
#include "igt_vgem.h"
#include "drm-uapi/panfrost_drm.h"

IGT_TEST_DESCRIPTION("panfrost WB_MMAP export rule and SYNC_BO.");

static int __create_bo(int fd, uint32_t size, uint32_t flags, uint32_t *handle)
{
	struct drm_panfrost_create_bo args = { .size = size, .flags = flags };

	if (igt_ioctl(fd, DRM_IOCTL_PANFROST_CREATE_BO, &args))
		return -errno;
	*handle = args.handle;
	return 0;
}

static uint32_t create_bo(int fd, uint32_t size, uint32_t flags)
{
	uint32_t handle;

	igt_assert_eq(__create_bo(fd, size, flags, &handle), 0);
	return handle;
}

static int __sync_bo(int fd, const void *ops, uint32_t count, uint32_t pad)
{
	struct drm_panfrost_sync_bo args = {
		.ops = to_user_pointer(ops), .op_count = count, .pad = pad,
	};

	return igt_ioctl(fd, DRM_IOCTL_PANFROST_SYNC_BO, &args) ? -errno : 0;
}

/* PRIME export: the dma-buf's fd, or -errno. */
static int export_bo(int fd, uint32_t handle)
{
	struct drm_prime_handle args = { .handle = handle, .flags = DRM_CLOEXEC, .fd = -1 };

	return igt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &args) ? -errno : args.fd;
}

/*
 * The kernel reports NONE for every GPU it does not treat as IO-coherent.
 * It also reports NONE for a GPU described as DMA-coherent that supports
 * neither protocol, and warns about it at probe; on such a board the
 * export case below fails, as the board's description is wrong.
 */
static bool gpu_is_io_coherent(int fd)
{
	struct drm_panfrost_get_param gp = {
		.param = DRM_PANFROST_PARAM_SELECTED_COHERENCY,
	};

	do_ioctl(fd, DRM_IOCTL_PANFROST_GET_PARAM, &gp);
	return gp.value != DRM_PANFROST_GPU_COHERENCY_NONE;
}

igt_main
{
	int fd = -1;

	igt_fixture {
		drmVersionPtr v;

		fd = drm_open_driver(DRIVER_PANFROST);
		v = drmGetVersion(fd);
		igt_require_f(v->version_major == 1 && v->version_minor >= 7,
			      "panfrost %d.%d, the rules are those of 1.7\n",
			      v->version_major, v->version_minor);
		drmFreeVersion(v);
	}

	igt_subtest("wb-mmap-create") {
		uint32_t handle;

		igt_assert_eq(__create_bo(fd, 4096, PANFROST_BO_WB_MMAP, &handle), 0);
		gem_close(fd, handle);
		igt_assert_eq(__create_bo(fd, 4096, PANFROST_BO_WB_MMAP | PANFROST_BO_NOEXEC,
					  &handle), 0);
		gem_close(fd, handle);
		igt_assert_eq(__create_bo(fd, 4096, PANFROST_BO_WB_MMAP | PANFROST_BO_HEAP |
					  PANFROST_BO_NOEXEC, &handle), -EINVAL);
	}

	igt_subtest("wb-mmap-export") {
		uint32_t wb = create_bo(fd, 4096, PANFROST_BO_WB_MMAP);
		uint32_t wc = create_bo(fd, 4096, 0);
		int dmabuf;

		if (gpu_is_io_coherent(fd)) {
			dmabuf = prime_handle_to_fd(fd, wb);
			close(dmabuf);
		} else {
			igt_assert_eq(export_bo(fd, wb), -EINVAL);
		}
		dmabuf = prime_handle_to_fd(fd, wc);
		close(dmabuf);
		gem_close(fd, wb);
		gem_close(fd, wc);
	}

	igt_subtest("sync-bo-ranges") {
		uint32_t wb = create_bo(fd, 2 * 4096, PANFROST_BO_WB_MMAP);
		uint32_t wc = create_bo(fd, 4096, 0);
		struct drm_panfrost_bo_sync_op ops[] = {
			{ wb, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 0, 2 * 4096 },
			{ wb, PANFROST_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 4095, 2 },
			{ wb, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 2 * 4096, 0 },
			{ wc, PANFROST_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE, 0, 4096 },
		};

		igt_assert_eq(__sync_bo(fd, ops, ARRAY_SIZE(ops), 0), 0);
		igt_assert_eq(__sync_bo(fd, NULL, 0, 0), 0);
		gem_close(fd, wb);
		gem_close(fd, wc);
	}

	igt_subtest("sync-bo-errors") {
		uint32_t bo = create_bo(fd, 4096, PANFROST_BO_WB_MMAP);
		struct drm_panfrost_bo_sync_op op = { bo, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 };
		struct drm_panfrost_bo_sync_op bad[] = {
			{ bo, 2, 0, 64 },
			{ bo, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 4096, 1 },
			{ bo, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 64, 4096 },
			{ bo, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, UINT32_MAX, 2 },
		};

		for (int i = 0; i < ARRAY_SIZE(bad); i++)
			igt_assert_eq(__sync_bo(fd, &bad[i], 1, 0), -EINVAL);
		igt_assert_eq(__sync_bo(fd, &op, 1, 1), -EINVAL);
		igt_assert_eq(__sync_bo(fd, &op, INT_MAX / 16 + 1, 0), -EINVAL);
		igt_assert_eq(__sync_bo(fd, (void *)8, 1, 0), -EFAULT);
		op.handle = bo + 1000;
		igt_assert_eq(__sync_bo(fd, &op, 1, 0), -ENOENT);
		gem_close(fd, bo);
	}

	igt_subtest("sync-bo-imported") {
		struct vgem_bo scratch = { .width = 64, .height = 64, .bpp = 32 };
		struct drm_panfrost_bo_sync_op op = { 0, PANFROST_BO_SYNC_CPU_CACHE_FLUSH, 0, 64 };
		int vgem = drm_open_driver(DRIVER_VGEM);
		int dmabuf;

		vgem_create(vgem, &scratch);
		dmabuf = prime_handle_to_fd(vgem, scratch.handle);
		op.handle = prime_fd_to_handle(fd, dmabuf);
		igt_assert_eq(__sync_bo(fd, &op, 1, 0), -EINVAL);
		gem_close(fd, op.handle);
		close(dmabuf);
		gem_close(vgem, scratch.handle);
		drm_close_driver(vgem);
	}

	igt_fixture
		drm_close_driver(fd);
}
