package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Project thumbnails: one image per project, replaced on every upload (the old blob is removed by the
 * {@code orphan_blobs} trigger). Only the image header is decoded to check type and size.
 */
@RestController
class ThumbnailController {

    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final int MAX_SIDE = 10_000;
    private static final Set<String> FORMATS = Set.of("png", "jpeg");

    private final Policy policy;
    private final Thumbnails thumbnails;
    private final FileActions actions;

    ThumbnailController(Policy policy, Thumbnails thumbnails, FileActions actions) {
        this.policy = policy;
        this.thumbnails = thumbnails;
        this.actions = actions;
    }

    @GetMapping("/api/v1/files/thumbnails/{project}")
    void download(Actor actor, @PathVariable UUID project, HttpServletRequest request, HttpServletResponse response) throws IOException {
        actions.sendThumbnail(actor, project, !"HEAD".equals(request.getMethod()), response);
    }

    @PostMapping("/api/v1/projects/{project}/thumbnail")
    ResponseEntity<Void> upload(Actor actor, @PathVariable UUID project, HttpServletRequest request) throws IOException {
        policy.requireProject(actor, ProjectAction.UPLOAD_FILES, project);
        MultipartReader multipart = MultipartReader.of(request.getContentType(), request.getInputStream());
        if (multipart == null) {
            throw FileErrors.emptyContent("thumbnail");
        }
        byte[] image = readSinglePart(multipart);
        String format = checkedFormat(image);
        thumbnails.store(project, image, format);
        return ResponseEntity.noContent().build();
    }

    /** The one 'thumbnail' part, at most {@link #MAX_BYTES}: small enough to check in memory. */
    private static byte[] readSinglePart(MultipartReader multipart) {
        byte[] image = null;
        try {
            MultipartReader.Part part;
            while ((part = multipart.next()) != null) {
                if (!"thumbnail".equals(part.name())) {
                    continue;
                }
                if (image != null) {
                    throw FileErrors.multipleContents("thumbnail");
                }
                image = part.body().readNBytes(MAX_BYTES + 1);
                if (image.length > MAX_BYTES) {
                    throw ApiException.validation("Field 'thumbnail' must be at most 5 MB.");
                }
            }
        } catch (IOException e) {
            throw FileErrors.incompleteUpload(e.getMessage());
        }
        if (image == null) {
            throw FileErrors.emptyContent("thumbnail");
        }
        return image;
    }

    /** "png" or "jpeg", after checking that the image is one of those and not too large. */
    private static String checkedFormat(byte[] image) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw notAnImage();
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw notAnImage();
                }
                reader.setInput(in);
                if (reader.getWidth(0) > MAX_SIDE || reader.getHeight(0) > MAX_SIDE) {
                    throw ApiException.validation("Field 'thumbnail' must be at most " + MAX_SIDE + " pixels on each side.");
                }
                return format;
            } catch (IOException e) {
                throw notAnImage();
            } finally {
                reader.dispose();
            }
        }
    }

    private static ApiException notAnImage() {
        return ApiException.validation("Field 'thumbnail' must be a PNG or JPEG image.");
    }
}
