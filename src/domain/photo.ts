// The candidate's photo (ảnh chân dung), as the form prints it: an upright ID photo, 3×4 or 4×6 (height
// between 1.25 and 1.6 times the width), at least 400×600 pixels. One check for the page (before the
// upload, on the device) and the server (after EXIF rotation), with the real reason in both languages.
import { error, type Finding } from './messages.ts';

export const PHOTO_MIN = { width: 400, height: 600 } as const;
/** height ÷ width: 3×4 is 1.33, 4×6 is 1.5 */
export const PHOTO_RATIO = { min: 1.25, max: 1.6 } as const;

export function photoProblems(width: number, height: number, field = 'photo'): Finding[] {
  const size = `${width}×${height}`;
  if (width >= height) {
    return [
      error(
        'PHOTO_NOT_PORTRAIT',
        field,
        `Ảnh đang nằm ${width === height ? 'vuông' : 'ngang'} (${size} điểm ảnh). Ảnh chân dung phải là ảnh dọc, tỉ lệ 3×4 hoặc 4×6: hãy chụp dọc điện thoại, hoặc cắt ảnh quanh khuôn mặt cho cao hơn rộng.`,
        `The photo is ${width === height ? 'square' : 'landscape'} (${size} pixels). An ID photo must be upright, 3×4 or 4×6: hold the phone upright, or crop around the face so the photo is taller than it is wide.`,
        { width, height },
      ),
    ];
  }
  if (width < PHOTO_MIN.width || height < PHOTO_MIN.height) {
    return [
      error(
        'PHOTO_TOO_SMALL',
        field,
        `Ảnh quá nhỏ (${size} điểm ảnh): cần ít nhất ${PHOTO_MIN.width}×${PHOTO_MIN.height}. Hãy chụp lại bằng camera điện thoại, đừng dùng ảnh chụp màn hình hay ảnh đã thu nhỏ.`,
        `The photo is too small (${size} pixels): it needs at least ${PHOTO_MIN.width}×${PHOTO_MIN.height}. Take it again with the phone's camera; do not use a screenshot or a reduced copy.`,
        { width, height, minWidth: PHOTO_MIN.width, minHeight: PHOTO_MIN.height },
      ),
    ];
  }
  const ratio = height / width;
  if (ratio < PHOTO_RATIO.min || ratio > PHOTO_RATIO.max) {
    return [
      error(
        'PHOTO_RATIO',
        field,
        `Ảnh ${size} điểm ảnh ${ratio < PHOTO_RATIO.min ? 'gần như vuông' : 'quá dài'}: ảnh chân dung có tỉ lệ 3×4 hoặc 4×6 (cao gấp 1,25 đến 1,6 lần chiều rộng). Hãy cắt lại ảnh quanh khuôn mặt.`,
        `The photo (${size} pixels) is ${ratio < PHOTO_RATIO.min ? 'almost square' : 'too tall'}: an ID photo is 3×4 or 4×6 (1.25 to 1.6 times as tall as it is wide). Crop it again around the face.`,
        { width, height },
      ),
    ];
  }
  return [];
}
