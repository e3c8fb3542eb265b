// Vietnamese name tables for the synthetic country, as data: "Name:weight" lists, weights relative
// within a list. Family-name shares follow the commonly cited figures (Nguyễn ~38%, Trần ~11%, Lê ~9.5%,
// Phạm ~7%, Hoàng/Huỳnh ~5%, …); Hoàng/Vũ are northern spellings and Huỳnh/Võ their southern
// counterparts, so the two regional tables swap them. Middle and given names are an *estimate* for people
// born around 2007 (Văn/Thị are less dominant than for their parents). Every string is NFC.

/**
 * Parses "Nguyễn:38 Trần:11 …" into [name, weight] pairs. Names with spaces use "_" ("Thị_Ngọc"). A name
 * listed twice (a regional table adding to the shared tail) gets the sum of its weights.
 */
export function parseWeighted(spec: string): Array<[string, number]> {
  const out = new Map<string, number>();
  for (const item of spec.trim().split(/\s+/)) {
    const [raw, w] = item.split(':');
    const weight = Number(w ?? '1');
    if (!raw || !Number.isFinite(weight) || weight <= 0) throw new Error(`bad weighted item: ${item}`);
    const name = raw.replace(/_/g, ' ').normalize('NFC');
    out.set(name, (out.get(name) ?? 0) + weight);
  }
  return [...out];
}

// Shared tail of family names, per mille of the population (rough, from the published surveys).
const FAMILY_TAIL = `
  Phan:45 Đặng:21 Bùi:20 Đỗ:14 Hồ:13 Ngô:13 Dương:10 Lý:5 Đinh:6 Trương:6 Đào:5 Đoàn:5 Lâm:4 Mai:4
  Trịnh:4 Tạ:3 Lương:3 Lưu:3 Tô:3 Cao:3 Chu:2 Châu:2 Hà:3 Thái:2 Quách:1 Tôn:1 La:1 Kiều:1 Khúc:1
  Triệu:2 Nông:2 Phùng:2 Vương:2 Tăng:1 Từ:1 Văn:1 Lại:1 Mạc:1 Đồng:1 Thân:1 Diệp:1 Ông:1 Trầm:1 Giang:1
  Hứa:1 Tiêu:1 Lò:1 Đàm:1 Kim:1 Nghiêm:1 Âu:1
`;

/** Northern and central-northern provinces: Hoàng and Vũ. */
export const FAMILY_NORTH = parseWeighted(`Nguyễn:380 Trần:110 Lê:95 Phạm:70 Hoàng:45 Huỳnh:5 Vũ:35 Võ:4 ${FAMILY_TAIL}`);
/** From Quảng Nam southwards: Huỳnh and Võ. */
export const FAMILY_SOUTH = parseWeighted(`Nguyễn:380 Trần:110 Lê:95 Phạm:70 Hoàng:8 Huỳnh:42 Vũ:6 Võ:33 ${FAMILY_TAIL}`);
/** Northern highland provinces: Kinh names plus the common Tày, Nùng, Thái, Mông and Dao family names. */
export const FAMILY_HIGHLAND = parseWeighted(
  `Nguyễn:200 Trần:50 Lê:45 Phạm:35 Hoàng:60 Vũ:20 ${FAMILY_TAIL}
   Nông:40 Lò:35 Lường:25 Giàng:30 Sùng:25 Vàng:30 Thào:25 Lầu:15 Mùa:12 Hầu:10 Lục:15 Ma:15 Bế:12
   Hà:30 Cầm:15 Quàng:10 Sầm:5 Triệu:20 Bàn:15 Tẩn:8 Lý:15 Lương:15 Đinh:15`,
);

/** Middle names (chữ đệm) of boys, including a few two-word ones. */
export const MIDDLE_MALE = parseWeighted(`
  Văn:140 Minh:90 Đức:70 Quang:45 Hoàng:40 Gia:45 Thành:30 Anh:30 Tuấn:25 Hữu:40 Công:30 Duy:30 Quốc:35
  Trung:20 Xuân:18 Tiến:18 Thanh:25 Ngọc:20 Bảo:40 Đăng:25 Nhật:25 Hải:15 Khánh:15 Phúc:12 Trọng:18 Mạnh:15
  Việt:18 Thế:15 Đình:25 Tấn:20 Trường:10 Chí:15 Huy:12 Hồng:8 Kim:5 Thiện:8 Vĩnh:6 An:6 Phước:6 Thái:10
  Hoài:6 Nam:6 Tùng:5 Long:5 Sơn:5 Hùng:5 Văn_Minh:5 Hoàng_Gia:5 Minh_Quang:4 Đức_Minh:4 Ngọc_Bảo:4 Hữu_Minh:3
`);

/** Middle names of girls, including a few two-word ones. */
export const MIDDLE_FEMALE = parseWeighted(`
  Thị:190 Ngọc:80 Thu:40 Thanh:40 Phương:35 Minh:35 Bảo:40 Khánh:30 Gia:25 Mai:18 Hồng:18 Thùy:25 Kim:20
  Diệu:15 Hoài:15 Hà:12 Yến:10 Quỳnh:15 Lan:10 Tú:12 Tuệ:10 Cẩm:10 Mỹ:15 Như:12 Thảo:10 Tường:8 Trúc:8
  Hải:10 Huyền:8 Ánh:8 Vân:6 Xuân:8 Linh:8 Anh:10 Hoàng:10 Uyên:5 Nhã:6 Bích:8 Diễm:5 Kiều:6 Hương:6
  Thị_Thu:8 Thị_Ngọc:8 Thị_Thanh:6 Ngọc_Bảo:6 Thị_Kim:5 Thị_Hồng:5 Ngọc_Khánh:4 Thị_Minh:4 Hoàng_Bảo:3
`);

/** Given names of boys (about 170). */
export const GIVEN_MALE = parseWeighted(`
  Anh:80 Minh:70 Huy:60 Khang:45 Bảo:40 Phúc:45 Nam:45 Long:40 Dũng:35 Đức:35 Hoàng:35 Hùng:30 Khoa:35
  Kiên:25 Lâm:25 Nghĩa:20 Nhân:25 Phát:30 Quân:40 Quang:30 Sơn:30 Tài:25 Thành:35 Thắng:25 Thịnh:30 Tiến:25
  Trí:30 Trung:30 Tuấn:40 Tùng:25 Việt:25 Vinh:25 Vũ:25 Hải:30 Hiếu:35 Hưng:30 Khánh:30 Đạt:45 Duy:35
  Dương:25 Hào:15 Hậu:15 Hiển:10 Hiệp:12 Hòa:12 Hoàn:8 Khải:15 Khôi:30 Kỳ:8 Lộc:20 Luân:12 Lực:8 Mạnh:20
  Nguyên:25 Nhật:20 Phong:25 Phú:15 Phước:15 Quý:15 Quyết:10 Sang:15 Tâm:15 Tân:15 Thái:15 Thanh:10 Thiện:15
  Thông:12 Tín:15 Toàn:20 Trọng:15 Trường:15 Tú:12 Tuệ:8 Văn:5 Vĩ:8 Vương:8 An:25 Bình:15 Châu:5 Chiến:12
  Công:10 Cường:20 Danh:10 Đại:8 Đăng:12 Điền:5 Định:8 Đông:10 Giang:8 Hà:5 Hạnh:3 Hiền:5 Hiến:5 Hội:5 Huân:8
  Huấn:5 Hữu:5 Khiêm:8 Kha:5 Lãm:3 Lân:5 Linh:12 Lợi:8 Lương:5 Mẫn:5 Nghị:8 Ngọc:8 Nhất:5 Ninh:5 Pháp:3
  Quốc:8 Quyền:8 Sáng:5 Sĩ:5 Tạo:5 Tấn:8 Thạch:5 Thiên:10 Thuận:12 Tiền:3 Toản:5 Triết:5 Triều:5 Trực:5
  Tường:8 Uy:5 Vỹ:5 Xuân:3 Yên:2 Bách:10 Đô:3 Hưởng:5 Khương:5 Lĩnh:5 Phương:8 Quảng:3 Thắm:1 Tiệp:3
`);

/** Given names of girls (about 180). */
export const GIVEN_FEMALE = parseWeighted(`
  Anh:80 Linh:65 Ngọc:40 Trang:50 Hương:35 Hà:40 Mai:30 Lan:20 Thảo:45 Vy:45 Nhi:45 Hân:35 Như:30 Quỳnh:30
  Trâm:25 Yến:25 Uyên:30 Thư:35 Ngân:35 Phương:30 Hằng:25 Huyền:30 Giang:30 My:25 Châu:15 Diệp:10 Hạnh:15
  Hoa:12 Hồng:12 Hiền:25 Khánh:15 Loan:10 Ly:20 Nga:15 Nhung:15 Oanh:10 Tâm:15 Thúy:15 Thủy:20 Trinh:15
  Tuyết:10 Vân:20 Xuân:8 Ánh:15 Băng:8 Chi:25 Diệu:5 Dung:15 Hậu:5 Hoài:8 Huệ:8 Kiều:5 Lam:5 Liên:10 Lụa:3
  Mơ:3 Mỹ:8 Nguyệt:10 Nhàn:8 Phượng:10 Quyên:12 Sương:5 Thanh:15 Thi:8 Thoa:8 Thơ:10 Tiên:15 Trà:10 Trúc:10
  Tú:8 Vi:10 Ý:5 An:20 Bích:5 Cúc:3 Đào:5 Duyên:15 Gấm:2 Hiếu:3 Hòa:5 Hợp:2 Khuê:8 Lệ:5 Lộc:3 Mẫn:3 Minh:15
  Na:5 Nguyên:10 Nhiên:8 Nhu:3 Nương:2 Phúc:5 Quế:3 Quý:3 Sen:3 Thắm:5 Thêu:2 Thiên:5 Thịnh:2 Thuận:3
  Thương:15 Thùy:8 Tình:5 Tươi:5 Tường:5 Uyển:3 Việt:3 Xoan:2 Yên:5 Hảo:5 Điệp:5 Giao:5 Hường:8 Khanh:8 Kim:5
  Lành:2 Len:2 Mến:3 Miên:3 Nhạn:3 Nhài:3 Ninh:3 Phụng:3 Sa:3 Thục:3 Trân:10 Vũ:1 Xuyến:3 Hạ:8 Đan:8 Ngà:3
  Trầm:1
`);
